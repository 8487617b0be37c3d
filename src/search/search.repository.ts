import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Database, Db } from '../db/index.js';
import type { ParsedQuery, SearchFilters, SearchSort, TermCandidate } from './query.js';
import type { SearchHit } from './search.js';
import { NEGATIVE_CELL } from './search-index.repository.js';

type Q = Db | Transaction<Database>;

/** A result row as the query returns it. */
export interface SearchRow {
  item_type: 'package' | 'grid';
  item_id: number;
  title: string;
  slug: string;
  description: string;
  category: string | null;
  category_slug: string | null;
  weight: number;
  repo_watchers: number;
  repo_forks: number;
  pypi_downloads: number;
  score: number;
  usage: number;
  participants: string;
  supports_python3: boolean | null;
  is_active: boolean;
  pypi_version: string | null;
  last_committed: string | null;
  last_released: string | null;
  created: string;
  modified: string;
  relevance: number;
  total: number;
}

// Each way of matching contributes at most this many candidates; ranking then runs on a few hundred rows at most,
// so a word that is in every document ("django") costs no more than a rare one.
/** The most documents the words themselves contribute; a total at least this large means more matched. */
export const CANDIDATES = 120;
const FUZZY_CANDIDATES = 40;

function filterSql(f: SearchFilters): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  const itemType = f.category !== undefined || f.python3 ? 'package' : f.itemType;
  if (itemType) parts.push(sql`d.item_type = ${itemType}`);
  if (f.category !== undefined) parts.push(sql`d.category_slug = ${f.category}`);
  if (f.python3) parts.push(sql`d.supports_python3 IS TRUE`);
  if (f.activeOnly) parts.push(sql`d.is_active`);
  return parts.length ? sql`AND ${sql.join(parts, sql` AND `)}` : sql``;
}

function tsqueryExpr(p: ParsedQuery): RawBuilder<unknown> {
  const web = p.websearch !== null ? sql`websearch_to_tsquery('english', ${p.websearch})` : null;
  let prefix: RawBuilder<unknown> | null = p.prefix !== null ? sql`to_tsquery('simple', ${p.prefix})` : null;
  if (prefix && p.exclusions !== null) prefix = sql`(${prefix} && !! websearch_to_tsquery('english', ${p.exclusions}))`;
  if (web && prefix) return sql`(${web} || ${prefix})`;
  return web ?? prefix ?? sql`''::tsquery`;
}

// Whole words match anywhere in the document; a prefix (the word being typed) only the title and slug words: "app"
// would otherwise match every document of the "Apps" category and "dev" every participant named dev-something.
function matchSql(p: ParsedQuery): RawBuilder<unknown> {
  const web = p.websearch !== null ? sql`d.document @@ websearch_to_tsquery('english', ${p.websearch})` : null;
  let prefix: RawBuilder<unknown> | null = p.prefix !== null ? sql`d.names @@ to_tsquery('simple', ${p.prefix})` : null;
  if (prefix && p.exclusions !== null) prefix = sql`(${prefix} AND NOT d.document @@ websearch_to_tsquery('english', ${p.exclusions}))`;
  if (web && prefix) return sql`(${web} OR ${prefix})`;
  return web ?? prefix ?? sql`false`;
}

/** Below this many word matches the search also tries its fallbacks: look-alike names, prefixes of any word, some words. */
const FALLBACK_WHEN_FEWER = 20;

// Documents holding an excluded word ("-sorl") leave every path, not only the full-text one.
function excludeSql(p: ParsedQuery): RawBuilder<unknown> {
  return p.exclusions !== null ? sql`AND NOT d.document @@ websearch_to_tsquery('english', ${p.exclusions})` : sql``;
}

function wordCandidatesSql(p: ParsedQuery, f: SearchFilters): RawBuilder<unknown> {
  const filters = filterSql(f);
  const branches: RawBuilder<unknown>[] = [];
  if (p.websearch !== null || p.prefix !== null) {
    // The tsquery is written inline (not taken from a CTE) so the planner folds it and can estimate how many rows match.
    // A word in nearly every document walks the weight index and stops early; any other word is cheaper to collect
    // from the GIN index and sort ("+ 0" keeps the planner off the weight index, whose per-row test costs more than it knows).
    const order = p.dense ? sql`d.weight DESC, d.id` : sql`d.weight + 0 DESC, d.id`;
    branches.push(sql`(SELECT d.id FROM search_documents d WHERE ${matchSql(p)} ${filters} ORDER BY ${order} LIMIT ${CANDIDATES})`);
  }
  if (p.exact !== '') branches.push(sql`(SELECT d.id FROM search_documents d WHERE d.name_no_prefix = ${p.exact} ${filters})`);
  if (branches.length === 0) return sql`SELECT NULL::int AS id WHERE false`;
  return sql.join(branches, sql` UNION `);
}

function fuzzyCandidatesSql(p: ParsedQuery, f: SearchFilters, fuzzy: string): RawBuilder<unknown> {
  const filters = filterSql(f);
  const exclude = excludeSql(p);
  // Names only (slug without the common prefix): an OR with a title test makes the planner compute trigrams on
  // every row; titles still count in the ranking.
  // Two tests, each its own index scan: a word of the name (word_similarity, typing) or the whole name (typos).
  return sql`(SELECT d.id FROM search_documents d
      WHERE ${fuzzy} <% d.name_no_prefix ${filters} ${exclude}
      ORDER BY word_similarity(${fuzzy}, d.name_no_prefix) DESC, d.weight DESC LIMIT ${FUZZY_CANDIDATES})
    UNION (SELECT d.id FROM search_documents d
      WHERE d.name_no_prefix % ${fuzzy} ${filters} ${exclude}
      ORDER BY similarity(d.name_no_prefix, ${fuzzy}) DESC, d.weight DESC LIMIT ${FUZZY_CANDIDATES})`;
}

// A word still being typed ("multiproc") completed from any word of the documents, not only names: a fallback for
// when names and whole words match few, since a short prefix would match much of the index.
function anywherePrefixSql(p: ParsedQuery, f: SearchFilters, prefix: string): RawBuilder<unknown> {
  // Unstemmed: "multiproc" still finds the stem "multiprocess", while a stemmed prefix can collapse to a stub ("coeds"
  // stems to "co") that matches a third of the index. The planner picks the plan here (the vocabulary says nothing of
  // prefixes): a prefix common in descriptions is cheaper walked along the weights than collected and sorted, and it
  // can misjudge a middling one; the branch only runs when everything else found fewer than a page.
  return sql`(SELECT d.id FROM search_documents d
      WHERE d.document @@ to_tsquery('simple', ${prefix}) ${filterSql(f)} ${excludeSql(p)}
      ORDER BY d.weight DESC, d.id LIMIT ${FUZZY_CANDIDATES})`;
}

// Some of the words, when all of them match few ("social login": nothing holds both): ranked below the documents
// that hold every word, as they get no bonus for matching all.
function anyWordsSql(p: ParsedQuery, f: SearchFilters, anyWords: string): RawBuilder<unknown> {
  return sql`(SELECT d.id FROM search_documents d
      WHERE d.document @@ websearch_to_tsquery('english', ${anyWords}) ${filterSql(f)} ${excludeSql(p)}
      ORDER BY d.weight + 0 DESC, d.id LIMIT ${FUZZY_CANDIDATES})`;
}

// One statement for every path: the fallbacks (look-alike names for typos, prefixes of any word, some of the words)
// run only when the words themselves match fewer than a page. The count is an InitPlan, so when the words suffice
// those scans never start; a typo rarely matches many documents word for word.
function candidateCtes(p: ParsedQuery, f: SearchFilters): RawBuilder<unknown> {
  const words = sql`words AS (${wordCandidatesSql(p, f)})`;
  const fallbacks: RawBuilder<unknown>[] = [];
  if (p.fuzzy !== null) fallbacks.push(fuzzyCandidatesSql(p, f, p.fuzzy));
  if (p.prefix !== null && p.prefixAnywhere) fallbacks.push(anywherePrefixSql(p, f, p.prefix));
  if (p.anyWords !== null) fallbacks.push(anyWordsSql(p, f, p.anyWords));
  if (fallbacks.length === 0) return sql`${words}, cand AS (SELECT id FROM words)`;
  return sql`${words},
    looks AS (SELECT l.id FROM (${sql.join(fallbacks, sql` UNION `)}) l WHERE (SELECT count(*) FROM words) < ${FALLBACK_WHEN_FEWER}),
    cand AS (SELECT id FROM words UNION SELECT id FROM looks)`;
}

function relevanceSql(p: ParsedQuery): RawBuilder<number> {
  const tq = tsqueryExpr(p);
  // The name typed glued, as PyPI spells many ("djangorestframework"), is as exact as the slug itself.
  const glued = p.exact.replace(/-/g, '');
  const gluedTest =
    glued.length >= 4 ? sql`OR translate(d.name_no_prefix, '-_.', '') = ${glued} OR translate(lower(d.slug), '-_.', '') = ${glued}` : sql``;
  const exact = sql`(CASE WHEN d.name_no_prefix = ${p.exact}
      OR regexp_replace(regexp_replace(lower(d.title), '[^[:alnum:]]+', '-', 'g'), '^(django|dj)-+|-+$', '', 'g') = ${p.exact}
      ${gluedTest}
    THEN 1.0 ELSE 0 END)`;
  const name =
    p.fuzzy !== null
      ? sql`greatest(similarity(d.name_no_prefix, ${p.fuzzy}), word_similarity(${p.fuzzy}, d.name_no_prefix) * 0.8, similarity(lower(d.title), ${p.fuzzyFull ?? p.fuzzy}))`
      : sql`0`;
  // Matching every wanted word as a whole word counts for more than completing the word being typed ("rest" is in
  // django-rest-framework; "restrictor" merely starts with it), and both for more than looking like the name (trigrams).
  const web = p.websearch !== null ? sql`d.document @@ websearch_to_tsquery('english', ${p.websearch})` : sql`false`;
  const matched = sql`(CASE WHEN ${web} THEN 0.3 WHEN ${matchSql(p)} THEN 0.15 ELSE 0 END)`;
  // A name that starts with the words typed ("django-rest" for django-rest-framework) is what a name search means.
  const leads = p.exact !== '' ? sql`(CASE WHEN starts_with(d.name_no_prefix, ${`${p.exact}-`}) THEN 0.15 ELSE 0 END)` : sql`0`;
  return sql<number>`(ts_rank(d.document, ${tq}) + ${matched} + ${leads} + ${exact} + 0.6 * ${name} + d.weight * 0.006)`;
}

const TERM_CANDIDATES = 10;

/** What the index's vocabulary says of a query's words. */
export interface TermStats {
  /** The planner's count of search documents (0 before the table was first analysed). */
  readonly documents: number;
  /** How many documents hold each word the vocabulary has. */
  readonly known: Map<string, number>;
  /** Look-alike known words for each correctable word the vocabulary lacks. */
  readonly candidates: Map<string, TermCandidate[]>;
}

/**
 * One look-up for the whole query: which words the vocabulary has (and how common they are), and, for the
 * correctable ones that neither it nor any document holds, known words that look like them (the session's strict
 * word similarity threshold).
 */
export async function termStats(db: Q, words: readonly string[], correctable: readonly string[]): Promise<TermStats> {
  const r = await sql<{ kind: 'known' | 'candidate' | 'documents'; word: string; term: string; ndoc: number }>`
    SELECT 'known' AS kind, w.word, t.term, t.ndoc
    FROM unnest(${sql.val([...words])}::text[]) AS w(word) JOIN search_terms t ON t.term = w.word
    UNION ALL
    SELECT 'candidate', w.word, c.term, c.ndoc
    FROM unnest(${sql.val([...correctable])}::text[]) AS w(word)
    CROSS JOIN LATERAL (SELECT t.term, t.ndoc FROM search_terms t WHERE w.word <<% t.term
                        ORDER BY similarity(t.term, w.word) DESC, t.ndoc DESC, t.term LIMIT ${TERM_CANDIDATES}) c
    WHERE NOT EXISTS (SELECT 1 FROM search_terms t WHERE t.term = w.word)
      -- A word some document holds as it is (in a grid cell, or as another form of a stem) is no typo.
      AND NOT EXISTS (SELECT 1 FROM search_documents d WHERE d.document @@ plainto_tsquery('english', w.word))
    UNION ALL
    SELECT 'documents', '', '', greatest(c.reltuples, 0)::int FROM pg_class c WHERE c.oid = 'search_documents'::regclass`.execute(db);
  const known = new Map<string, number>();
  const candidates = new Map<string, TermCandidate[]>();
  let documents = 0;
  for (const row of r.rows) {
    if (row.kind === 'documents') documents = row.ndoc;
    else if (row.kind === 'known') known.set(row.word, row.ndoc);
    else candidates.set(row.word, [...(candidates.get(row.word) ?? []), { term: row.term, ndoc: row.ndoc }]);
  }
  return { documents, known, candidates };
}

// A figure to order by. Documents that hold the words themselves come first, each group in the figure's order: a
// look-alike name or a document with only some of the words must not rise to the top because it has more stars.
// Every order ends on relevance, then title and id, so pages never overlap.
const FIGURES: Record<Exclude<SearchSort, 'relevance'>, RawBuilder<unknown>> = {
  stars: sql`d.repo_watchers DESC`,
  score: sql`d.score DESC`,
  activity: sql`d.last_committed DESC NULLS LAST`,
  released: sql`d.last_released DESC NULLS LAST`,
};

function orderSql(p: ParsedQuery, sort: SearchSort): RawBuilder<unknown> {
  if (sort === 'relevance') return sql`relevance DESC`;
  return sql`(${matchSql(p)}) DESC, ${FIGURES[sort]}, relevance DESC`;
}

/** One page of results, best first (or by the sort's figure); each row carries the total number of candidates. */
export async function searchDocuments(
  db: Q,
  p: ParsedQuery,
  f: SearchFilters,
  limit: number,
  offset: number,
  sort: SearchSort = 'relevance',
): Promise<SearchRow[]> {
  const r = await sql<SearchRow>`
    WITH ${candidateCtes(p, f)}
    SELECT d.item_type, d.item_id, d.title, d.slug, d.description, d.category, d.category_slug, d.weight,
      d.repo_watchers, d.repo_forks, d.pypi_downloads, d.score, d.usage, d.participants, d.supports_python3,
      d.is_active, d.pypi_version, d.last_committed, d.last_released, d.created, d.modified,
      ${relevanceSql(p)}::float8 AS relevance, (count(*) OVER ())::int AS total
    FROM cand JOIN search_documents d ON d.id = cand.id
    ORDER BY ${orderSql(p, sort)}, d.title, d.id
    LIMIT ${limit} OFFSET ${offset}`.execute(db);
  return r.rows;
}

/** Marks ts_headline puts around a matched word; control characters, which cleaned text never holds. */
export const MARK_START = '\u0001';
export const MARK_END = '\u0002';
const WHOLE = `StartSel=${MARK_START}, StopSel=${MARK_END}, HighlightAll=true`;
const FRAGMENTS = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxFragments=2, MaxWords=14, MinWords=5, FragmentDelimiter=" … "`;

/** A result's text with the query's words marked: the whole description, and fragments of its grid cells or features. */
export interface ExcerptRow {
  item_type: 'package' | 'grid';
  item_id: number;
  in_description: string;
  in_grids: string;
}

/** Marked texts for the given results, for showing why each matched (a page of results, not a whole ranking). */
export async function excerpts(db: Q, p: ParsedQuery, items: readonly { itemType: string; itemId: number }[]): Promise<ExcerptRow[]> {
  if (items.length === 0) return [];
  const r = await sql<ExcerptRow>`
    SELECT h.item_type, h.item_id,
      ts_headline('english', d.description, ${tsqueryExpr(p)}, ${WHOLE}) AS in_description,
      ts_headline('english', coalesce(x.text, ''), ${tsqueryExpr(p)}, ${FRAGMENTS}) AS in_grids
    FROM unnest(${sql.val(items.map((i) => i.itemType))}::text[], ${sql.val(items.map((i) => i.itemId))}::int[]) AS h(item_type, item_id)
    JOIN search_documents d ON d.item_type = h.item_type AND d.item_id = h.item_id
    LEFT JOIN LATERAL (
      SELECT string_agg(t, ' · ') AS text FROM (
        SELECT g.title || ', ' || f.title || ': ' || e.text AS t
        FROM grid_packages gp JOIN grids g ON g.id = gp.grid_id
        JOIN elements e ON e.grid_package_id = gp.id JOIN features f ON f.id = e.feature_id
        WHERE h.item_type = 'package' AND gp.package_id = h.item_id AND lower(btrim(e.text)) !~ ${NEGATIVE_CELL}
        UNION ALL
        SELECT f.title || ': ' || f.description FROM features f WHERE h.item_type = 'grid' AND f.grid_id = h.item_id
      ) parts
    ) x ON true`.execute(db);
  return r.rows;
}

/** How many candidates a query has (for a page past the end, where no row carries the total). */
export async function countMatches(db: Q, p: ParsedQuery, f: SearchFilters): Promise<number> {
  const r = await sql<{ n: number }>`
    WITH ${candidateCtes(p, f)}
    SELECT count(*)::int AS n FROM cand`.execute(db);
  return r.rows[0]?.n ?? 0;
}

/** A result row as the domain type. */
export function toHit(r: SearchRow): SearchHit {
  return {
    itemType: r.item_type,
    itemId: r.item_id,
    title: r.title,
    slug: r.slug,
    description: r.description,
    category: r.category,
    categorySlug: r.category_slug,
    weight: r.weight,
    repoWatchers: r.repo_watchers,
    repoForks: r.repo_forks,
    pypiDownloads: r.pypi_downloads,
    score: r.score,
    usage: r.usage,
    participants: r.participants,
    supportsPython3: r.supports_python3,
    isActive: r.is_active,
    pypiVersion: r.pypi_version,
    lastCommitted: r.last_committed,
    lastReleased: r.last_released,
    created: r.created,
    modified: r.modified,
    relevance: r.relevance,
    excerpt: null,
  };
}
