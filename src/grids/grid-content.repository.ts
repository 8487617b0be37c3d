import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../db/index.js';

type Q = Db | Transaction<Database>;

/** A feature row with its grid. */
export interface FeatureRecord {
  id: number;
  grid_id: number;
  title: string;
  description: string;
}

/** A feature by id. */
export async function findFeature(db: Q, id: number): Promise<FeatureRecord | undefined> {
  return db.selectFrom('features').select(['id', 'grid_id', 'title', 'description']).where('id', '=', id).executeTakeFirst();
}

/** Inserts a feature; returns its id. */
export async function insertFeature(db: Q, v: { grid_id: number; title: string; description: string }): Promise<number> {
  return (await db.insertInto('features').values(v).returning('id').executeTakeFirstOrThrow()).id;
}

/** Updates a feature. */
export async function updateFeature(db: Q, id: number, v: { title: string; description: string }): Promise<void> {
  await db
    .updateTable('features')
    .set({ ...v, modified: sql<string>`now()` })
    .where('id', '=', id)
    .execute();
}

/** Deletes a feature (its cells go with it). */
export async function deleteFeatureRow(db: Q, id: number): Promise<void> {
  await db.deleteFrom('features').where('id', '=', id).execute();
}

/** The grid_packages row of a package in a grid. */
export async function findGridPackage(db: Q, gridId: number, packageId: number): Promise<{ id: number } | undefined> {
  return db.selectFrom('grid_packages').select('id').where('grid_id', '=', gridId).where('package_id', '=', packageId).executeTakeFirst();
}

/** Adds a package to a grid; undefined when it was already there. */
export async function insertGridPackage(db: Q, gridId: number, packageId: number): Promise<number | undefined> {
  const r = await db
    .insertInto('grid_packages')
    .values({ grid_id: gridId, package_id: packageId })
    .onConflict((oc) => oc.columns(['grid_id', 'package_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return r?.id;
}

/** Removes a package from a grid (its cells go with it). */
export async function deleteGridPackageRow(db: Q, id: number): Promise<void> {
  await db.deleteFrom('grid_packages').where('id', '=', id).execute();
}

/** A cell's current text ('' when never written). */
export async function elementText(db: Q, gridPackageId: number, featureId: number): Promise<string | undefined> {
  return (
    await db
      .selectFrom('elements')
      .select('text')
      .where('grid_package_id', '=', gridPackageId)
      .where('feature_id', '=', featureId)
      .executeTakeFirst()
  )?.text;
}

/** Writes a cell: one upsert on (grid_package_id, feature_id). */
export async function upsertElement(db: Q, gridPackageId: number, featureId: number, text: string): Promise<number> {
  const r = await db
    .insertInto('elements')
    .values({ grid_package_id: gridPackageId, feature_id: featureId, text })
    .onConflict((oc) => oc.columns(['grid_package_id', 'feature_id']).doUpdateSet({ text, modified: sql<string>`now()` }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** Bumps the grid's modified time (grid lists sort by it). */
export async function touchGrid(db: Q, gridId: number): Promise<void> {
  await db
    .updateTable('grids')
    .set({ modified: sql<string>`now()` })
    .where('id', '=', gridId)
    .execute();
}

/** Packages matching a title or repo URL, most stars first, for the "add package to grid" picker. */
export async function searchPackagesForGrid(
  db: Q,
  gridId: number,
  q: string,
  limit: number,
): Promise<{ id: number; title: string; slug: string; repo_watchers: number }[]> {
  const like = `%${q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
  return db
    .selectFrom('packages')
    .select(['id', 'title', 'slug', 'repo_watchers'])
    .where((eb) => eb.or([eb('title', 'ilike', like), eb('repo_url', 'ilike', like), eb('slug', 'ilike', like)]))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('grid_packages')
            .select('id')
            .where('grid_id', '=', gridId)
            .whereRef('grid_packages.package_id', '=', 'packages.id'),
        ),
      ),
    )
    .orderBy('repo_watchers', 'desc')
    .limit(limit)
    .execute();
}

/** Bumps a package's modified time: the grid timesheet lists packages by it. */
export async function touchPackage(db: Q, packageId: number): Promise<void> {
  await db
    .updateTable('packages')
    .set({ modified: sql<string>`now()` })
    .where('id', '=', packageId)
    .execute();
}
