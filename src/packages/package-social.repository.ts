import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../db/index.js';

type Q = Db | Transaction<Database>;

/** Adds or removes a favourite, keeping packages.favorite_count; returns the new count. */
export async function setFavouriteRow(db: Q, userId: number, packageId: number, on: boolean): Promise<number> {
  const changed = on
    ? (
        await db
          .insertInto('favorites')
          .values({ user_id: userId, package_id: packageId })
          .onConflict((oc) => oc.columns(['user_id', 'package_id']).doNothing())
          .executeTakeFirst()
      ).numInsertedOrUpdatedRows
    : (await db.deleteFrom('favorites').where('user_id', '=', userId).where('package_id', '=', packageId).executeTakeFirst())
        .numDeletedRows;
  const delta = (changed ?? 0n) > 0n ? (on ? 1 : -1) : 0;
  const r = await db
    .updateTable('packages')
    .set({ favorite_count: sql<number>`greatest(favorite_count + ${delta}, 0)` })
    .where('id', '=', packageId)
    .returning('favorite_count')
    .executeTakeFirst();
  return r?.favorite_count ?? 0;
}

/** Adds or removes an "I use this", keeping packages.usage_count; returns the new count. */
export async function setUsageRow(db: Q, userId: number, packageId: number, on: boolean): Promise<number> {
  const changed = on
    ? (
        await db
          .insertInto('usages')
          .values({ user_id: userId, package_id: packageId })
          .onConflict((oc) => oc.columns(['package_id', 'user_id']).doNothing())
          .executeTakeFirst()
      ).numInsertedOrUpdatedRows
    : (await db.deleteFrom('usages').where('user_id', '=', userId).where('package_id', '=', packageId).executeTakeFirst()).numDeletedRows;
  const delta = (changed ?? 0n) > 0n ? (on ? 1 : -1) : 0;
  const r = await db
    .updateTable('packages')
    .set({ usage_count: sql<number>`greatest(usage_count + ${delta}, 0)` })
    .where('id', '=', packageId)
    .returning('usage_count')
    .executeTakeFirst();
  return r?.usage_count ?? 0;
}

/** Inserts a flag; false when this user already flagged the package. */
export async function insertFlag(db: Q, userId: number, packageId: number, reason: string): Promise<boolean> {
  const r = await db
    .insertInto('flagged_packages')
    .values({ user_id: userId, package_id: packageId, reason })
    .onConflict((oc) => oc.columns(['package_id', 'user_id']).doNothing())
    .executeTakeFirst();
  return (r.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/** An example row. */
export interface ExampleRecord {
  id: number;
  package_id: number;
  title: string;
  url: string;
  active: boolean | null;
  created_by_id: number | null;
}

/** An example by id. */
export async function findExample(db: Q, id: number): Promise<ExampleRecord | undefined> {
  return db
    .selectFrom('package_examples')
    .select(['id', 'package_id', 'title', 'url', 'active', 'created_by_id'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Inserts an example awaiting moderation (active = null). */
export async function insertExample(db: Q, v: { package_id: number; title: string; url: string; created_by_id: number }): Promise<number> {
  const r = await db
    .insertInto('package_examples')
    .values({ ...v, active: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** Updates an example's title/url/active. */
export async function updateExample(db: Q, id: number, v: { title?: string; url?: string; active?: boolean | null }): Promise<void> {
  await db
    .updateTable('package_examples')
    .set({ ...v, modified: sql<string>`now()` })
    .where('id', '=', id)
    .execute();
}

/** Deletes an example. */
export async function deleteExampleRow(db: Q, id: number): Promise<void> {
  await db.deleteFrom('package_examples').where('id', '=', id).execute();
}

/** The moderation queue: examples awaiting review and open flags, oldest first. */
export async function moderationQueue(db: Q): Promise<{
  examples: { id: number; title: string; url: string; package_slug: string; package_title: string; username: string | null }[];
  flags: { id: number; reason: string; package_slug: string; package_title: string; username: string; approved_flag: boolean }[];
}> {
  const [examples, flags] = await Promise.all([
    db
      .selectFrom('package_examples as e')
      .innerJoin('packages as p', 'p.id', 'e.package_id')
      .leftJoin('users as u', 'u.id', 'e.created_by_id')
      .select(['e.id', 'e.title', 'e.url', 'p.slug as package_slug', 'p.title as package_title', 'u.username'])
      .where('e.active', 'is', null)
      .orderBy('e.id')
      .limit(200)
      .execute(),
    db
      .selectFrom('flagged_packages as f')
      .innerJoin('packages as p', 'p.id', 'f.package_id')
      .innerJoin('users as u', 'u.id', 'f.user_id')
      .select(['f.id', 'f.reason', 'p.slug as package_slug', 'p.title as package_title', 'u.username', 'f.approved_flag'])
      .where('f.approved_flag', '=', false)
      .orderBy('f.id')
      .limit(200)
      .execute(),
  ]);
  return { examples, flags };
}

/** Marks a flag approved. */
export async function approveFlagRow(db: Q, id: number): Promise<boolean> {
  const r = await db
    .updateTable('flagged_packages')
    .set({ approved_flag: true, modified: sql<string>`now()` })
    .where('id', '=', id)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Deletes a flag. */
export async function deleteFlagRow(db: Q, id: number): Promise<boolean> {
  const r = await db.deleteFrom('flagged_packages').where('id', '=', id).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

/** True when the package exists. */
export async function packageExists(db: Q, id: number): Promise<boolean> {
  return (await db.selectFrom('packages').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}
