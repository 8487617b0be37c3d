import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../db/index.js';
import type { ParsedV4Record } from './v4-record.js';

type Q = Db | Transaction<Database>;

/** Creates categories known only by id (a hyperlink in a record), leaving existing ones alone. */
export async function ensureCategories(db: Q, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .insertInto('categories')
    .values(ids.map((id) => ({ id, title: `Category ${id}`, slug: `category-${id}` })))
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** Creates grids known only by id, leaving existing ones alone. */
export async function ensureGrids(db: Q, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .insertInto('grids')
    .values(ids.map((id) => ({ id, title: `Grid ${id}`, slug: `grid-${id}` })))
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** The id of another package already holding this slug or repo URL, if any. */
export async function findClash(
  db: Q,
  id: number,
  slug: string,
  repoUrl: string | undefined,
): Promise<{ field: 'slug' | 'repo_url'; otherId: number } | undefined> {
  const bySlug = await db.selectFrom('packages').select('id').where('slug', '=', slug).where('id', '<>', id).executeTakeFirst();
  if (bySlug) return { field: 'slug', otherId: bySlug.id };
  if (repoUrl) {
    const byUrl = await db.selectFrom('packages').select('id').where('repo_url', '=', repoUrl).where('id', '<>', id).executeTakeFirst();
    if (byUrl) return { field: 'repo_url', otherId: byUrl.id };
  }
  return undefined;
}

/** Inserts or updates one package from a v4 record, keeping its id; returns whether it was new. */
export async function upsertV4Package(db: Q, r: ParsedV4Record): Promise<boolean> {
  const values = {
    id: r.id,
    title: r.title,
    slug: r.slug,
    category_id: r.categoryId,
    created: r.created,
    modified: r.modified,
    ...(r.lastCommitDate !== undefined ? { last_commit_date: r.lastCommitDate } : {}),
    ...(r.lastFetched !== undefined ? { last_fetched: r.lastFetched } : {}),
    ...(r.repoUrl !== undefined ? { repo_url: r.repoUrl } : {}),
    ...(r.repoForks !== undefined ? { repo_forks: r.repoForks } : {}),
    ...(r.repoDescription !== undefined ? { repo_description: r.repoDescription } : {}),
    ...(r.pypiUrl !== undefined ? { pypi_url: r.pypiUrl } : {}),
    ...(r.documentationUrl !== undefined ? { documentation_url: r.documentationUrl } : {}),
    ...(r.repoWatchers !== undefined ? { repo_watchers: r.repoWatchers } : {}),
    ...(r.commitsOver52 !== undefined ? { commits_over_52: r.commitsOver52 } : {}),
    ...(r.participants !== undefined ? { participants: r.participants } : {}),
  };
  const { id: _id, ...update } = values;
  const row = await db
    .insertInto('packages')
    .values(values)
    .onConflict((oc) => oc.column('id').doUpdateSet(update))
    .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
    .executeTakeFirstOrThrow();
  return row.inserted;
}

/** Points the package at its current PyPI version (creating the version row), or at none. */
export async function setLatestVersion(db: Q, packageId: number, number: string | null): Promise<void> {
  let versionId: number | null = null;
  if (number !== null) {
    const v = await db
      .insertInto('versions')
      .values({ package_id: packageId, number })
      .onConflict((oc) => oc.columns(['package_id', 'number']).doUpdateSet({ number }))
      .returning('id')
      .executeTakeFirstOrThrow();
    versionId = v.id;
  }
  await db.updateTable('packages').set({ latest_version_id: versionId }).where('id', '=', packageId).execute();
}

/** Makes the package's grid memberships exactly `gridIds`, keeping existing rows (and their cells). */
export async function setPackageGrids(db: Q, packageId: number, gridIds: readonly number[]): Promise<void> {
  let del = db.deleteFrom('grid_packages').where('package_id', '=', packageId);
  if (gridIds.length > 0) del = del.where('grid_id', 'not in', gridIds);
  await del.execute();
  if (gridIds.length === 0) return;
  await db
    .insertInto('grid_packages')
    .values(gridIds.map((grid_id) => ({ grid_id, package_id: packageId })))
    .onConflict((oc) => oc.columns(['grid_id', 'package_id']).doNothing())
    .execute();
}

const IDENTITY_TABLES = [
  'users',
  'categories',
  'packages',
  'versions',
  'package_examples',
  'grids',
  'grid_packages',
  'features',
  'elements',
] as const;

/** Moves identity sequences past ids that were inserted explicitly, so new rows never collide. */
export async function resetSequences(db: Q): Promise<void> {
  for (const t of IDENTITY_TABLES) {
    await sql`SELECT setval(pg_get_serial_sequence(${t}, 'id'), greatest((SELECT max(id) FROM ${sql.table(t)}), 1))`.execute(db);
  }
}
