import type { Db } from '../db/index.js';
import { AppError, NotFoundError, ValidationError } from '../errors.js';
import { diffFields, recordEdit } from '../history/history.service.js';
import {
  allCategoryRows,
  categorySlugTaken,
  countCategories,
  countPackagesInCategory,
  packageIdsInCategory,
  deleteCategory,
  findCategoryRow,
  insertCategory,
  listCategoryRows,
  updateCategory,
  type CategoryRow,
} from './category.repository.js';

/** A category (fields as API v4 names them). */
export type Category = CategoryRow;

/** Fields a staff member may set. */
export interface CategoryInput {
  title?: string;
  slug?: string;
  description?: string;
  title_plural?: string;
  show_pypi?: boolean;
}

/** One page of categories (newest first) and the total. */
export async function listCategories(db: Db, limit: number, offset: number): Promise<{ count: number; rows: Category[] }> {
  const [count, rows] = await Promise.all([countCategories(db), listCategoryRows(db, limit, offset)]);
  return { count, rows };
}

/** A category by numeric id (API v4 looks categories up by pk only). */
export async function getCategoryById(db: Db, id: number): Promise<Category | undefined> {
  return findCategoryRow(db, { id });
}

/** A category by slug (pages, v3). */
export async function getCategoryBySlug(db: Db, slug: string): Promise<Category | undefined> {
  return findCategoryRow(db, { slug });
}

/** Every category in title order. */
export async function allCategories(db: Db): Promise<Category[]> {
  return allCategoryRows(db);
}

/** Creates a category (staff); records the edit. */
export async function createCategory(
  db: Db,
  userId: number,
  input: Required<Pick<CategoryInput, 'title' | 'slug'>> & CategoryInput,
): Promise<Category> {
  return db.transaction().execute(async (trx) => {
    if (await categorySlugTaken(trx, input.slug)) throw new ValidationError({ slug: ['category with this slug already exists.'] });
    const row = await insertCategory(trx, {
      title: input.title,
      slug: input.slug,
      description: input.description ?? '',
      title_plural: input.title_plural ?? '',
      show_pypi: input.show_pypi ?? true,
    });
    await recordEdit(trx, { entityType: 'category', entityId: row.id, userId, action: 'create', changes: diffFields({}, { ...input }) });
    return row;
  });
}

/** Updates a category (staff); records the edit. */
export async function editCategory(db: Db, userId: number, id: number, input: CategoryInput): Promise<Category> {
  return db.transaction().execute(async (trx) => {
    const before = await findCategoryRow(trx, { id });
    if (!before) throw new NotFoundError();
    if (input.slug !== undefined && (await categorySlugTaken(trx, input.slug, id)))
      throw new ValidationError({ slug: ['category with this slug already exists.'] });
    const after = await updateCategory(trx, id, input);
    if (!after) throw new NotFoundError();
    const changes = diffFields({ ...before }, { ...input });
    // A renamed category changes the search text of every package in it.
    const renamed = 'title' in changes || 'title_plural' in changes || 'slug' in changes;
    const affectedPackageIds = renamed ? await packageIdsInCategory(trx, id) : [];
    await recordEdit(trx, { entityType: 'category', entityId: id, userId, action: 'update', changes, affectedPackageIds });
    return after;
  });
}

/** Deletes an unused category (staff); a category with packages is refused with 400. */
export async function removeCategory(db: Db, userId: number, id: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await findCategoryRow(trx, { id });
    if (!before) throw new NotFoundError();
    const used = await countPackagesInCategory(trx, id);
    if (used > 0)
      throw new AppError(400, 'category_in_use', `Cannot delete a category that ${used} package${used === 1 ? '' : 's'} still use.`);
    await deleteCategory(trx, id);
    await recordEdit(trx, {
      entityType: 'category',
      entityId: id,
      userId,
      action: 'delete',
      changes: { title: [before.title, null], slug: [before.slug, null] },
    });
  });
}
