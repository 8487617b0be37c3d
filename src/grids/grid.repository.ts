import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../db/index.js';

type Q = Db | Transaction<Database>;

/** A grid row with its package ids (ordered by package title, as the original's M2M is). */
export interface GridRow {
  id: number;
  title: string;
  slug: string;
  description: string;
  is_locked: boolean;
  package_ids: number[];
  header: boolean;
  created: string;
  modified: string;
}

function gridQuery(db: Q) {
  return db
    .selectFrom('grids as g')
    .select([
      'g.id',
      'g.title',
      'g.slug',
      'g.description',
      'g.is_locked',
      'g.header',
      'g.created',
      'g.modified',
      sql<
        number[]
      >`coalesce((select array_agg(gp.package_id order by p.title, p.id) from grid_packages gp join packages p on p.id = gp.package_id where gp.grid_id = g.id), '{}')`.as(
        'package_ids',
      ),
    ]);
}

/** One page of grids, newest id first. */
export async function listGridRows(db: Q, limit: number, offset: number): Promise<GridRow[]> {
  return gridQuery(db).orderBy('g.id', 'desc').limit(limit).offset(offset).execute();
}

/** How many grids exist. */
export async function countGrids(db: Q): Promise<number> {
  const r = await db
    .selectFrom('grids')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return r.n;
}

/** A grid by id or slug. */
export async function findGridRow(db: Q, key: { id: number } | { slug: string }): Promise<GridRow | undefined> {
  const q = gridQuery(db);
  return ('id' in key ? q.where('g.id', '=', key.id) : q.where('g.slug', '=', key.slug)).executeTakeFirst();
}

/** True when another grid already has this slug. */
export async function gridSlugTaken(db: Q, slug: string, exceptId?: number): Promise<boolean> {
  let q = db.selectFrom('grids').select('id').where('slug', '=', slug);
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** Inserts a grid; returns its id. */
export async function insertGrid(db: Q, v: { title: string; slug: string; description: string }): Promise<number> {
  const r = await db.insertInto('grids').values(v).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** Updates a grid's own fields and bumps modified. */
export async function updateGrid(db: Q, id: number, v: { title?: string; slug?: string; description?: string }): Promise<void> {
  await db
    .updateTable('grids')
    .set({ ...v, modified: sql<string>`now()` })
    .where('id', '=', id)
    .execute();
}

/** Which of these package ids exist. */
export async function existingPackageIds(db: Q, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('packages')
    .select('id')
    .where('id', 'in', [...ids])
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Adds packages to a grid (existing memberships, and their cells, are kept). */
export async function addGridPackages(db: Q, gridId: number, packageIds: readonly number[]): Promise<void> {
  if (packageIds.length === 0) return;
  await db
    .insertInto('grid_packages')
    .values(packageIds.map((package_id) => ({ grid_id: gridId, package_id })))
    .onConflict((oc) => oc.columns(['grid_id', 'package_id']).doNothing())
    .execute();
}

/** Removes packages from a grid (their cells go with them). */
export async function removeGridPackages(db: Q, gridId: number, packageIds: readonly number[]): Promise<void> {
  if (packageIds.length === 0) return;
  await db
    .deleteFrom('grid_packages')
    .where('grid_id', '=', gridId)
    .where('package_id', 'in', [...packageIds])
    .execute();
}

/** Deletes a grid (memberships, features and cells cascade). */
export async function deleteGrid(db: Q, id: number): Promise<void> {
  await db.deleteFrom('grids').where('id', '=', id).execute();
}

/** Refreshes usage counts of the given packages after membership changes. */
export async function refreshUsageCounts(db: Q, packageIds: readonly number[]): Promise<void> {
  if (packageIds.length === 0) return;
  await db
    .updateTable('packages')
    .set({ usage_count: sql<number>`(select count(*)::int from grid_packages gp where gp.package_id = packages.id)` })
    .where('id', 'in', [...packageIds])
    .execute();
}
