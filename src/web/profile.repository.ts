import type { Db } from '../db/index.js';

/** The editable profile fields of a user. */
export async function findProfileFields(
  db: Db,
  userId: number,
): Promise<{ gitlab_url: string; bitbucket_url: string; share_favorites: boolean } | undefined> {
  return db.selectFrom('users').select(['gitlab_url', 'bitbucket_url', 'share_favorites']).where('id', '=', userId).executeTakeFirst();
}

/** Saves the profile fields. */
export async function updateProfileFields(
  db: Db,
  userId: number,
  v: { gitlab_url: string; bitbucket_url: string; share_favorites: boolean },
): Promise<void> {
  await db.updateTable('users').set(v).where('id', '=', userId).execute();
}

/** Adds an extra profile link. */
export async function insertExtraField(db: Db, userId: number, label: string, url: string): Promise<void> {
  await db.insertInto('profile_extra_fields').values({ user_id: userId, label, url }).execute();
}

/** Removes one of the user's own extra links; false when it is not theirs. */
export async function deleteExtraField(db: Db, userId: number, id: number): Promise<boolean> {
  const r = await db.deleteFrom('profile_extra_fields').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return r.numDeletedRows > 0n;
}
