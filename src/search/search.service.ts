import type { Transaction } from 'kysely';
import type { Database, Db } from '../db/index.js';
import { computeGridWeight, computeSearchWeight, type WeightInput, type WeightResult } from './weight.js';
import * as index from './search-index.repository.js';
import * as repo from './search.repository.js';
import * as misses from './search-misses.repository.js';
import {
  chooseCorrection,
  cleanQuery,
  parseQuery,
  withCorrections,
  type ParsedQuery,
  type SearchFilters,
  type SearchSort,
} from './query.js';
import { splitMarked, type Excerpt, type SearchHit, type SearchPage } from './search.js';
import { computeScore, storeComputedScores, type ScoreResult } from '../packages/score.js';

type Q = Db | Transaction<Database>;

const BATCH = 2000;

function weightInput(row: index.PackageWeightRow): WeightInput {
  return {
    deprecated: row.date_deprecated !== null,
    description: row.repo_description,
    downloads: row.pypi_downloads,
    forks: row.repo_forks,
    stars: row.repo_watchers,
    usage: row.usage_count,
    lastCommitDate: row.last_commit_date,
    lastReleaseDate: row.last_released,
  };
}

/** A package's score and search weight worked out now, each with its reasons, beside the values stored for it. */
export interface PackageRanking {
  readonly packageId: number;
  readonly storedScore: number;
  readonly storedWeight: number;
  readonly score: ScoreResult;
  readonly weight: WeightResult;
}

/**
 * Why a package scores and weighs what it does, from the same inputs the index stores them from (the score ages
 * with the last commit, so "now" may be ahead of what was stored at the last fetch). Null for an unknown id.
 */
export async function explainPackageRanking(db: Q, packageId: number, now?: string): Promise<PackageRanking | null> {
  const row = (await index.loadPackageWeightRows(db, [packageId]))[0];
  if (!row) return null;
  const at = now ?? new Date().toISOString();
  return {
    packageId: row.id,
    storedScore: row.score,
    storedWeight: row.search_weight,
    score: computeScore({ stars: row.repo_watchers, lastCommitDate: row.last_commit_date, supportsPython3: row.supports_python3 }, at),
    weight: computeSearchWeight(weightInput(row), at),
  };
}

async function indexPackageBatch(db: Q, ids: readonly number[], now: string): Promise<void> {
  const rows = await index.loadPackageWeightRows(db, ids);
  await index.storePackageWeights(
    db,
    rows.map((r) => ({ id: r.id, weight: computeSearchWeight(weightInput(r), now).weight })),
  );
  await index.upsertPackageDocuments(db, ids);
}

async function indexGridDocs(db: Q, gridIds: readonly number[]): Promise<void> {
  for (let i = 0; i < gridIds.length; i += BATCH) {
    const ids = gridIds.slice(i, i + BATCH);
    const rows = await index.loadGridWeightRows(db, ids);
    const weights = rows.map((g) => ({
      id: g.id,
      weight: computeGridWeight({ topPackageWeight: g.top_weight, isLocked: g.is_locked, header: g.header, packageCount: g.package_count })
        .weight,
    }));
    await index.upsertGridDocuments(db, ids, weights);
  }
}

/**
 * Brings the search documents of these packages up to date (weight, text, grid text, figures) and the weight of
 * the grids they belong to. Call it inside the transaction that changed the packages; deleted ids are dropped.
 */
export async function reindexPackages(db: Q, packageIds: readonly number[], now?: string): Promise<void> {
  const ids = [...new Set(packageIds)];
  if (ids.length === 0) return;
  const at = now ?? new Date().toISOString();
  for (let i = 0; i < ids.length; i += BATCH) await indexPackageBatch(db, ids.slice(i, i + BATCH), at);
  await indexGridDocs(db, await index.gridIdsOfPackages(db, ids));
}

/**
 * Brings the search documents of these grids up to date, and those of their packages (whose documents carry the
 * grid's title, features and cells). After removing a package from a grid, also pass it to reindexPackages.
 */
export async function reindexGrids(db: Q, gridIds: readonly number[]): Promise<void> {
  const ids = [...new Set(gridIds)];
  if (ids.length === 0) return;
  const packages = await index.packageIdsInGrids(db, ids);
  const at = new Date().toISOString();
  for (let i = 0; i < packages.length; i += BATCH) await indexPackageBatch(db, packages.slice(i, i + BATCH), at);
  await indexGridDocs(db, ids);
}

/**
 * Rebuilds the whole index: every package's score (it ages with time) and weight, every document, orphans removed.
 * Returns the counts.
 */
export async function rebuildSearchIndex(db: Q, now?: string): Promise<{ packages: number; grids: number; removed: number }> {
  const at = now ?? new Date().toISOString();
  const removed = await index.deleteOrphanDocuments(db);
  let packages = 0;
  for await (const ids of index.allPackageIds(db, BATCH)) {
    await storeComputedScores(db, ids, at);
    await indexPackageBatch(db, ids, at);
    packages += ids.length;
  }
  const grids = await index.allGridIds(db);
  await indexGridDocs(db, grids);
  await index.recountTerms(db);
  await index.flushSearchIndexPending(db);
  await index.analyzeSearchTables(db);
  return { packages, grids: grids.length, removed };
}

// Above this share of the index, the words' matches are taken by walking the weight index (the best-weighted come
// early); below it they are collected from the full-text index and sorted, which a walk through sparse matches would
// cost far more than. The planner cannot tell the two apart: it misjudges how a word's matches spread over weights.
const DENSE_SHARE = 0.05;

/**
 * Whether the wanted words, all known to the vocabulary, are estimated (as independent) to match a large share.
 * Not within a category: a small category would make the walk pass over most of the index to fill a page.
 */
function isDense(p: ParsedQuery, stats: repo.TermStats, filters: SearchFilters): boolean {
  if (p.dense) return true;
  if (filters.category !== undefined || stats.documents <= 0 || p.words.length === 0) return false;
  let share = 1;
  for (const w of p.words) {
    const n = stats.known.get(w);
    if (n === undefined) return false;
    share *= Math.min(1, n / stats.documents);
  }
  return share >= DENSE_SHARE;
}

// Shorter words are not in the vocabulary, so how common they are is unknown; they are left out of "any of the words".
const MIN_TELLING = 4;

/**
 * The words worth matching on their own, ORed, as corrected: known words held by under DENSE_SHARE of the index,
 * and unknown ones of 4+ letters (the vocabulary has every such word, so an unknown one is rare). Null when fewer
 * than two words were typed or none is telling.
 */
function anyWordsOf(p: ParsedQuery, stats: repo.TermStats, fixes: ReadonlyMap<string, string>): string | null {
  if (p.quoted || p.words.length < 2 || stats.documents <= 0) return null;
  const telling = p.words
    .map((w) => fixes.get(w) ?? w)
    .filter((w) => {
      const n = stats.known.get(w);
      return n === undefined ? w.length >= MIN_TELLING : n / stats.documents < DENSE_SHARE;
    });
  return telling.length > 0 ? [...new Set(telling)].join(' or ') : null;
}

/** Searches packages and grids: full text, prefixes while typing, typo-tolerant names; never throws on odd input. */
export async function search(
  db: Q,
  rawQuery: string,
  opts: { limit: number; offset?: number; filters?: SearchFilters; excerpts?: boolean; sort?: SearchSort } = { limit: 20 },
): Promise<SearchPage> {
  const parsed = parseQuery(rawQuery);
  if (parsed === null) return { query: '', corrected: null, hits: [], total: 0, more: false };
  const filters = opts.filters ?? {};
  const offset = opts.offset ?? 0;
  let p = parsed;
  if (parsed.words.length > 0) {
    const stats = await repo.termStats(db, parsed.words, parsed.correctable);
    // Words the index has never seen are searched as typed and as the closest words it has.
    const fixes = new Map<string, string>();
    for (const [word, terms] of stats.candidates) {
      const fix = chooseCorrection(word, terms);
      if (fix !== null) fixes.set(word, fix);
    }
    p = { ...withCorrections(parsed, fixes), dense: isDense(parsed, stats, filters), anyWords: anyWordsOf(parsed, stats, fixes) };
  }
  const rows = await repo.searchDocuments(db, p, filters, opts.limit, offset, opts.sort);
  const total = rows[0]?.total ?? (offset ? await repo.countMatches(db, p, filters) : 0);
  let hits = rows.map(repo.toHit);
  if (opts.excerpts === true) hits = await withExcerpts(db, p, hits);
  return { query: parsed.text, corrected: p.corrected, hits, total, more: total >= repo.CANDIDATES };
}

/** Adds to each hit where the query's words are: its description when they are in it, else its grid text. */
async function withExcerpts(db: Q, p: ParsedQuery, hits: SearchHit[]): Promise<SearchHit[]> {
  const found = new Map<string, Excerpt>();
  for (const row of await repo.excerpts(db, p, hits)) {
    const description = splitMarked(row.in_description, repo.MARK_START, repo.MARK_END);
    const grids = description === null ? splitMarked(row.in_grids, repo.MARK_START, repo.MARK_END) : null;
    const excerpt: Excerpt | null = description
      ? { where: 'description', parts: description }
      : grids
        ? { where: 'grids', parts: grids }
        : null;
    if (excerpt) found.set(`${row.item_type}:${row.item_id}`, excerpt);
  }
  return hits.map((h) => ({ ...h, excerpt: found.get(`${h.itemType}:${h.itemId}`) ?? null }));
}

/** A search that found nothing: how often, first and last time. */
export interface SearchMiss {
  readonly query: string;
  readonly count: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
}

/** The most searches-that-found-nothing kept (each a short string; the table stays small under a flood). */
const MISSES_KEPT = 5000;

/** Remembers that a query found nothing (cleaned, lower case; no address or user), for the staff's list. */
export async function recordSearchMiss(db: Q, rawQuery: string, opts: { now?: string; keep?: number } = {}): Promise<void> {
  const query = cleanQuery(rawQuery).toLowerCase();
  if (query === '') return;
  await misses.recordMiss(db, query, opts.now ?? new Date().toISOString(), opts.keep ?? MISSES_KEPT);
}

/** The searches that found nothing most often in the last `days` days. */
export async function listSearchMisses(db: Q, opts: { days?: number; limit?: number; now?: string } = {}): Promise<SearchMiss[]> {
  const nowMs = Date.parse(opts.now ?? new Date().toISOString());
  const since = new Date(nowMs - (opts.days ?? 30) * 86_400_000).toISOString();
  const rows = await misses.topMisses(db, since, opts.limit ?? 100);
  return rows.map((r) => ({ query: r.query, count: r.count, firstSeen: r.first_seen, lastSeen: r.last_seen }));
}
