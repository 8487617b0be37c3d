import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Database, Db } from '../db/index.js';

type Q = Db | Transaction<Database>;

/** A package's weight inputs, as stored. */
export interface PackageWeightRow {
  id: number;
  date_deprecated: string | null;
  repo_description: string;
  pypi_downloads: number;
  repo_forks: number;
  repo_watchers: number;
  usage_count: number;
  last_commit_date: string | null;
  last_released: string | null;
  supports_python3: boolean | null;
  score: number;
  search_weight: number;
}

/** A grid's weight inputs, as stored (the package weights must be current first). */
export interface GridWeightRow {
  id: number;
  is_locked: boolean;
  header: boolean;
  package_count: number;
  top_weight: number;
}

function idList(ids: readonly number[]): RawBuilder<unknown> {
  // One array parameter instead of thousands of placeholders.
  return sql`${sql.val([...ids])}::int[]`;
}

// The slug (or a title turned into one) without the ecosystem's common prefix, so "django-" does not drown the name.
const PREFIX_RE = `^(django|dj)[-_.]+`;
function noPrefix(expr: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`regexp_replace(lower(${expr}), ${PREFIX_RE}, '')`;
}

// Forms of a name that people type: the slug glued ("djangorestframework", as on PyPI) and, for names of three or more
// words, their initials ("drf"). Same expressions as migration 0005.
function nameForms(slug: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`translate(lower(${slug}), '-_.', '') || ' ' || CASE WHEN lower(${slug}) ~ '^[a-z]+([-_.][a-z]+){2,}$'
    THEN regexp_replace(lower(${slug}), '([a-z])[a-z]*[-_.]?', ${'\\1'}, 'g') ELSE '' END`;
}

// Title and slug words and the name forms: what a prefix typed in the search box is matched against.
function namesVector(title: RawBuilder<unknown>, slug: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`to_tsvector('simple', translate(${title} || ' ' || ${slug}, '-_.', '   ') || ' ' || ${nameForms(slug)})`;
}

// The words a misspelt query word may be corrected to (same text and pattern as migration 0005).
const TERM_PATTERN = '^[[:alpha:]][[:alnum:]]{3,39}$';
const TERMS_OF_ALL = `SELECT to_tsvector('simple', title || ' ' || slug || ' ' || description || ' ' || coalesce(category, '')) FROM search_documents`;

// What an upsert of documents writes; a row whose every column is unchanged is not rewritten (a refresh that found
// nothing new costs no index write).
const PACKAGE_DOCUMENT_COLUMNS = [
  'title',
  'slug',
  'name_no_prefix',
  'description',
  'category',
  'category_slug',
  'weight',
  'repo_watchers',
  'repo_forks',
  'pypi_downloads',
  'score',
  'usage',
  'participants',
  'supports_python3',
  'is_active',
  'pypi_version',
  'last_committed',
  'last_released',
  'created',
  'modified',
  'names',
  'document',
] as const;
const GRID_DOCUMENT_COLUMNS = [
  'title',
  'slug',
  'name_no_prefix',
  'description',
  'weight',
  'created',
  'modified',
  'names',
  'document',
] as const;

function upsertChanged(columns: readonly string[]): RawBuilder<unknown> {
  const set = sql.join(columns.map((c) => sql`${sql.id(c)} = excluded.${sql.id(c)}`));
  const stored = sql.join(columns.map((c) => sql`d.${sql.id(c)}`));
  const incoming = sql.join(columns.map((c) => sql`excluded.${sql.id(c)}`));
  return sql`ON CONFLICT (item_type, item_id) DO UPDATE SET ${set} WHERE (${stored}) IS DISTINCT FROM (${incoming})`;
}

// Adds the words of the documents an upsert wrote (its "written" CTE) to the vocabulary, sorted so concurrent
// writers of the same new words take their row locks in one order. Words that leave a document stay until the next
// rebuild (a stale word only costs a correction that finds fewer results); new words count one document until then.
const termsOfWritten = sql`
  INSERT INTO search_terms (term)
  SELECT DISTINCT w
  FROM written d, unnest(tsvector_to_array(to_tsvector('simple', d.title || ' ' || d.slug || ' ' || d.description || ' ' || coalesce(d.category, '')))) AS w
  WHERE w ~ ${TERM_PATTERN}
  ORDER BY w
  ON CONFLICT (term) DO NOTHING`;

/** Recounts the vocabulary from every document: exact document counts, words no document holds removed. */
export async function recountTerms(db: Q): Promise<void> {
  // One statement: the deleted words are those missing from "now", the upserted ones those in it, so they never meet.
  await sql`
    WITH now AS (SELECT word AS term, ndoc FROM ts_stat(${TERMS_OF_ALL}) WHERE word ~ ${TERM_PATTERN}),
    gone AS (DELETE FROM search_terms t WHERE NOT EXISTS (SELECT 1 FROM now n WHERE n.term = t.term))
    INSERT INTO search_terms AS t (term, ndoc) SELECT term, ndoc FROM now ORDER BY term
    ON CONFLICT (term) DO UPDATE SET ndoc = excluded.ndoc WHERE t.ndoc IS DISTINCT FROM excluded.ndoc`.execute(db);
}

/** A cell that says "no" (or nothing) must not make the package match the feature's words. */
export const NEGATIVE_CELL = `^(|bad|negative|evil|sucks|no|n/a|-1|-+|-[0-9]+|x)$`;

/** Weight and score inputs for the given packages, with the values stored now. */
export async function loadPackageWeightRows(db: Q, ids: readonly number[]): Promise<PackageWeightRow[]> {
  if (ids.length === 0) return [];
  const r = await sql<PackageWeightRow>`
    SELECT p.id, p.date_deprecated, p.repo_description, p.pypi_downloads, p.repo_forks, p.repo_watchers, p.usage_count,
           p.last_commit_date, v.upload_time AS last_released, p.supports_python3, p.score, p.search_weight
    FROM packages p LEFT JOIN versions v ON v.id = p.latest_version_id
    WHERE p.id = ANY(${idList(ids)})`.execute(db);
  return r.rows;
}

/** Stores computed search weights; unchanged rows are not touched. */
export async function storePackageWeights(db: Q, values: readonly { id: number; weight: number }[]): Promise<void> {
  if (values.length === 0) return;
  await sql`
    UPDATE packages p SET search_weight = v.weight
    FROM unnest(${sql.val(values.map((v) => v.id))}::int[], ${sql.val(values.map((v) => v.weight))}::int[]) AS v(id, weight)
    WHERE p.id = v.id AND p.search_weight IS DISTINCT FROM v.weight`.execute(db);
}

/** Writes (or rewrites) the search documents of the given packages and drops those of packages that are gone. */
export async function upsertPackageDocuments(db: Q, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  const list = idList(ids);
  await sql`DELETE FROM search_documents d WHERE d.item_type = 'package' AND d.item_id = ANY(${list})
            AND NOT EXISTS (SELECT 1 FROM packages p WHERE p.id = d.item_id)`.execute(db);
  await sql`
    WITH written AS (
    INSERT INTO search_documents AS d (item_type, item_id, title, slug, name_no_prefix, description, category, category_slug,
      weight, repo_watchers, repo_forks, pypi_downloads, score, usage, participants, supports_python3, is_active,
      pypi_version, last_committed, last_released, created, modified, names, document)
    SELECT 'package', p.id, p.title, p.slug, ${noPrefix(sql`p.slug`)}, p.repo_description, c.title, c.slug,
      p.search_weight, p.repo_watchers, p.repo_forks, p.pypi_downloads, p.score, p.usage_count,
      array_to_string(p.participants, ','), p.supports_python3,
      (p.date_repo_archived IS NULL AND p.date_deprecated IS NULL AND p.deprecated_by_id IS NULL AND p.deprecates_package_id IS NULL),
      v.number, p.last_commit_date, v.upload_time, p.created, p.modified, ${namesVector(sql`p.title`, sql`p.slug`)},
      setweight(to_tsvector('english', p.title), 'A')
      || setweight(to_tsvector('simple', translate(p.title, '-_.', '   ')), 'A')
      || setweight(to_tsvector('simple', translate(p.slug, '-_.', '   ') || ' ' || ${nameForms(sql`p.slug`)}), 'B')
      || setweight(to_tsvector('english', p.repo_description), 'C')
      || setweight(to_tsvector('english', c.title || ' ' || c.title_plural), 'D')
      || setweight(to_tsvector('simple', array_to_string(p.participants, ' ')), 'D')
      || setweight(to_tsvector('english', coalesce(gt.text, '')), 'D')
    FROM packages p
    JOIN categories c ON c.id = p.category_id
    LEFT JOIN versions v ON v.id = p.latest_version_id
    LEFT JOIN LATERAL (
      SELECT string_agg(t, ' ') AS text FROM (
        SELECT g.title || ' ' || g.description AS t
        FROM grid_packages gp JOIN grids g ON g.id = gp.grid_id WHERE gp.package_id = p.id
        UNION ALL
        SELECT f.title || ' ' || e.text
        FROM grid_packages gp JOIN elements e ON e.grid_package_id = gp.id JOIN features f ON f.id = e.feature_id
        WHERE gp.package_id = p.id AND lower(btrim(e.text)) !~ ${NEGATIVE_CELL}
      ) parts
    ) gt ON true
    WHERE p.id = ANY(${list})
    ${upsertChanged(PACKAGE_DOCUMENT_COLUMNS)}
    RETURNING d.title, d.slug, d.description, d.category
  )
  ${termsOfWritten}`.execute(db);
}

/** Weight inputs for the given grids. */
export async function loadGridWeightRows(db: Q, gridIds: readonly number[]): Promise<GridWeightRow[]> {
  if (gridIds.length === 0) return [];
  const r = await sql<GridWeightRow>`
    SELECT g.id, g.is_locked, g.header,
      (SELECT count(*)::int FROM grid_packages gp WHERE gp.grid_id = g.id) AS package_count,
      coalesce((SELECT max(p.search_weight) FROM grid_packages gp JOIN packages p ON p.id = gp.package_id WHERE gp.grid_id = g.id), 0)::int AS top_weight
    FROM grids g WHERE g.id = ANY(${idList(gridIds)})`.execute(db);
  return r.rows;
}

/** Writes (or rewrites) the search documents of the given grids with their weights; drops those of grids that are gone. */
export async function upsertGridDocuments(
  db: Q,
  gridIds: readonly number[],
  weights: readonly { id: number; weight: number }[],
): Promise<void> {
  if (gridIds.length === 0) return;
  const list = idList(gridIds);
  await sql`DELETE FROM search_documents d WHERE d.item_type = 'grid' AND d.item_id = ANY(${list})
            AND NOT EXISTS (SELECT 1 FROM grids g WHERE g.id = d.item_id)`.execute(db);
  if (weights.length === 0) return;
  await sql`
    WITH written AS (
    INSERT INTO search_documents AS d (item_type, item_id, title, slug, name_no_prefix, description, weight, usage,
      created, modified, names, document)
    SELECT 'grid', g.id, g.title, g.slug, ${noPrefix(sql`g.slug`)}, g.description, w.weight, 0, g.created, g.modified,
      ${namesVector(sql`g.title`, sql`g.slug`)},
      setweight(to_tsvector('english', g.title), 'A')
      || setweight(to_tsvector('simple', translate(g.title || ' ' || g.slug, '-_.', '   ') || ' ' || ${nameForms(sql`g.slug`)}), 'B')
      || setweight(to_tsvector('english', g.description), 'C')
      || setweight(to_tsvector('english', coalesce((SELECT string_agg(f.title || ' ' || f.description, ' ') FROM features f WHERE f.grid_id = g.id), '')), 'D')
    FROM grids g
    JOIN unnest(${sql.val(weights.map((w) => w.id))}::int[], ${sql.val(weights.map((w) => w.weight))}::int[]) AS w(id, weight) ON w.id = g.id
    ${upsertChanged(GRID_DOCUMENT_COLUMNS)}
    RETURNING d.title, d.slug, d.description, d.category
  )
  ${termsOfWritten}`.execute(db);
}

/** The grids any of the given packages belong to. */
export async function gridIdsOfPackages(db: Q, packageIds: readonly number[]): Promise<number[]> {
  if (packageIds.length === 0) return [];
  const r = await sql<{
    grid_id: number;
  }>`SELECT DISTINCT grid_id FROM grid_packages WHERE package_id = ANY(${idList(packageIds)})`.execute(db);
  return r.rows.map((x) => x.grid_id);
}

/** The packages in any of the given grids. */
export async function packageIdsInGrids(db: Q, gridIds: readonly number[]): Promise<number[]> {
  if (gridIds.length === 0) return [];
  const r = await sql<{
    package_id: number;
  }>`SELECT DISTINCT package_id FROM grid_packages WHERE grid_id = ANY(${idList(gridIds)})`.execute(db);
  return r.rows.map((x) => x.package_id);
}

/** Every package id, ascending, in batches. */
export async function* allPackageIds(db: Q, batch: number): AsyncGenerator<number[]> {
  let after = -1;
  for (;;) {
    const rows = await db.selectFrom('packages').select('id').where('id', '>', after).orderBy('id').limit(batch).execute();
    if (rows.length === 0) return;
    yield rows.map((r) => r.id);
    after = rows[rows.length - 1]?.id ?? after;
  }
}

/** Every grid id. */
export async function allGridIds(db: Q): Promise<number[]> {
  const rows = await db.selectFrom('grids').select('id').orderBy('id').execute();
  return rows.map((r) => r.id);
}

/** Drops documents whose package or grid no longer exists; returns how many. */
export async function deleteOrphanDocuments(db: Q): Promise<number> {
  const r = await sql`
    DELETE FROM search_documents d
    WHERE (d.item_type = 'package' AND NOT EXISTS (SELECT 1 FROM packages p WHERE p.id = d.item_id))
       OR (d.item_type = 'grid' AND NOT EXISTS (SELECT 1 FROM grids g WHERE g.id = d.item_id))`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/**
 * Moves the GIN indexes' pending entries into the indexes proper. Every query scans the whole pending list, so a
 * bulk rebuild (which fills it) ends with this rather than leaving it to autovacuum.
 */
export async function flushSearchIndexPending(db: Q): Promise<void> {
  await sql`SELECT gin_clean_pending_list(c.oid::regclass) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_am a ON a.oid = c.relam WHERE i.indrelid = 'search_documents'::regclass AND a.amname = 'gin'`.execute(db);
}

/**
 * Refreshes the planner's statistics of the search tables. PGlite runs no autovacuum, and search reads the
 * document count (to tell a common word from a rare one) and the word frequencies from them.
 */
export async function analyzeSearchTables(db: Q): Promise<void> {
  await sql`ANALYZE search_documents, search_terms`.execute(db);
}
