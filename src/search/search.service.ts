import type { Transaction } from 'kysely';
import type { Database, Db } from '../db/index.js';
import { computeGridWeight, computeSearchWeight, type WeightInput } from './weight.js';
import * as index from './search-index.repository.js';
import * as repo from './search.repository.js';
import { parseQuery, type SearchFilters } from './query.js';
import type { SearchHit, SearchPage } from './search.js';
import { storeComputedScores } from '../packages/score.js';

type Q = Db | Transaction<Database>;

const BATCH = 2000;

function isTransaction(db: Q): db is Transaction<Database> {
  return db.isTransaction;
}

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
  await index.flushSearchIndexPending(db);
  return { packages, grids: grids.length, removed };
}

/** Searches packages and grids: full text, prefixes while typing, typo-tolerant names; never throws on odd input. */
export async function search(
  db: Q,
  rawQuery: string,
  opts: { limit: number; offset?: number; filters?: SearchFilters } = { limit: 20 },
): Promise<SearchPage> {
  const parsed = parseQuery(rawQuery);
  if (parsed === null) return { query: '', hits: [], total: 0 };
  const filters = opts.filters ?? {};
  const offset = opts.offset ?? 0;
  const run = async (trx: Transaction<Database>): Promise<{ rows: repo.SearchRow[]; total: number }> => {
    await repo.setTrigramThresholds(trx);
    const rows = await repo.searchDocuments(trx, parsed, filters, opts.limit, offset);
    return { rows, total: rows[0]?.total ?? (offset ? await repo.countMatches(trx, parsed, filters) : 0) };
  };
  // The thresholds are transaction-local, so they never leak to other queries on PGlite's one shared session.
  const { rows, total } = isTransaction(db) ? await run(db) : await db.transaction().execute(run);
  const hits: SearchHit[] = rows.map(repo.toHit);
  return { query: parsed.text, hits, total };
}
