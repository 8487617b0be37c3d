import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../db/index.js';

type Q = Db | Transaction<Database>;

/** A category row in API v4 field order. */
export interface CategoryRow {
  id: number;
  title: string;
  slug: string;
  description: string;
  title_plural: string;
  show_pypi: boolean;
  created: string;
  modified: string;
}

const COLUMNS = ['id', 'title', 'slug', 'description', 'title_plural', 'show_pypi', 'created', 'modified'] as const;

/** One page of categories, newest id first. */
export async function listCategoryRows(db: Q, limit: number, offset: number): Promise<CategoryRow[]> {
  return db.selectFrom('categories').select(COLUMNS).orderBy('id', 'desc').limit(limit).offset(offset).execute();
}

/** How many categories exist. */
export async function countCategories(db: Q): Promise<number> {
  const r = await db
    .selectFrom('categories')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return r.n;
}

/** A category by id or slug. */
export async function findCategoryRow(db: Q, key: { id: number } | { slug: string }): Promise<CategoryRow | undefined> {
  const q = db.selectFrom('categories').select(COLUMNS);
  return ('id' in key ? q.where('id', '=', key.id) : q.where('slug', '=', key.slug)).executeTakeFirst();
}

/** Every category in title order (forms, pages). */
export async function allCategoryRows(db: Q): Promise<CategoryRow[]> {
  return db.selectFrom('categories').select(COLUMNS).orderBy('title').execute();
}

/** True when another category already has this slug. */
export async function categorySlugTaken(db: Q, slug: string, exceptId?: number): Promise<boolean> {
  let q = db.selectFrom('categories').select('id').where('slug', '=', slug);
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** Inserts a category; returns the row. */
export async function insertCategory(db: Q, v: Omit<CategoryRow, 'id' | 'created' | 'modified'>): Promise<CategoryRow> {
  return db.insertInto('categories').values(v).returning(COLUMNS).executeTakeFirstOrThrow();
}

/** Updates a category and bumps modified; returns the row. */
export async function updateCategory(
  db: Q,
  id: number,
  v: Partial<Omit<CategoryRow, 'id' | 'created' | 'modified'>>,
): Promise<CategoryRow | undefined> {
  return db
    .updateTable('categories')
    .set({ ...v, modified: sql<string>`now()` })
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirst();
}

/** How many packages use a category (a category in use cannot be deleted). */
export async function countPackagesInCategory(db: Q, id: number): Promise<number> {
  const r = await db
    .selectFrom('packages')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('category_id', '=', id)
    .executeTakeFirstOrThrow();
  return r.n;
}

/** Deletes a category. */
export async function deleteCategory(db: Q, id: number): Promise<void> {
  await db.deleteFrom('categories').where('id', '=', id).execute();
}

/** The ids of the packages in a category (their search documents carry its title). */
export async function packageIdsInCategory(db: Q, id: number): Promise<number[]> {
  const rows = await db.selectFrom('packages').select('id').where('category_id', '=', id).execute();
  return rows.map((r) => r.id);
}
