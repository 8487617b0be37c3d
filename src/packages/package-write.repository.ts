import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../db/index.js';

type Q = Db | Transaction<Database>;

/** The fields an editor may change, as stored. */
export interface EditablePackageRow {
  id: number;
  title: string;
  slug: string;
  category_id: number;
  repo_url: string;
  pypi_url: string;
  documentation_url: string | null;
}

const EDITABLE = ['id', 'title', 'slug', 'category_id', 'repo_url', 'pypi_url', 'documentation_url'] as const;

/** The editable fields of one package, locked for update inside a transaction. */
export async function findEditablePackage(db: Q, id: number): Promise<EditablePackageRow | undefined> {
  return db.selectFrom('packages').select(EDITABLE).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** True when another package has this value in a unique column. */
export async function packageValueTaken(db: Q, column: 'slug' | 'repo_url', value: string, exceptId?: number): Promise<boolean> {
  let q = db.selectFrom('packages').select('id').where(column, '=', value);
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** True when the category exists. */
export async function categoryExists(db: Q, id: number): Promise<boolean> {
  return (await db.selectFrom('categories').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** Inserts a package created by a user; returns its id. */
export async function insertPackage(db: Q, v: Omit<EditablePackageRow, 'id'> & { created_by_id: number }): Promise<number> {
  const r = await db
    .insertInto('packages')
    .values({ ...v, last_modified_by_id: v.created_by_id })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** Updates editable fields, bumps modified and records who changed it. */
export async function updatePackageRow(db: Q, id: number, v: Partial<Omit<EditablePackageRow, 'id'>>, userId: number): Promise<void> {
  await db
    .updateTable('packages')
    .set({ ...v, last_modified_by_id: userId, modified: sql<string>`now()` })
    .where('id', '=', id)
    .execute();
}

/** Deletes a package (versions, grid memberships and the rest cascade). */
export async function deletePackageRow(db: Q, id: number): Promise<void> {
  await db.deleteFrom('packages').where('id', '=', id).execute();
}
