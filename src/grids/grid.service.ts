import type { Transaction } from 'kysely';
import type { Database, Db } from '../db/index.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { diffFields, recordEdit } from '../history/history.service.js';
import {
  addGridPackages,
  countGrids,
  deleteGrid,
  existingPackageIds,
  findGridRow,
  gridSlugTaken,
  insertGrid,
  listGridRows,
  refreshUsageCounts,
  removeGridPackages,
  updateGrid,
  type GridRow,
} from './grid.repository.js';

/** A grid with its package ids (field names as API v4 writes them). */
export type Grid = GridRow;

/** Fields an editor may set; `packages` replaces the package list. */
export interface GridInput {
  title?: string;
  slug?: string;
  description?: string;
  packages?: number[];
}

/** One page of grids (newest first) and the total. */
export async function listGrids(db: Db, limit: number, offset: number): Promise<{ count: number; rows: Grid[] }> {
  const [count, rows] = await Promise.all([countGrids(db), listGridRows(db, limit, offset)]);
  return { count, rows };
}

/** A grid by id (all digits) or slug, as MultiLookupFieldMixin does. */
export async function getGrid(db: Db, key: string): Promise<Grid | undefined> {
  if (/^\d+$/.test(key)) {
    const id = Number(key);
    return Number.isSafeInteger(id) && id <= 2_147_483_647 ? findGridRow(db, { id }) : undefined;
  }
  return findGridRow(db, { slug: key });
}

async function checkPackages(db: Db | Transaction<Database>, ids: readonly number[]): Promise<void> {
  const found = await existingPackageIds(db, ids);
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0)
    throw new ValidationError({ packages: missing.map((id) => `Invalid hyperlink - Object does not exist (package ${id}).`) });
}

/** Creates a grid with its packages; records the edit. */
export async function createGrid(db: Db, userId: number, input: Required<Pick<GridInput, 'title' | 'slug'>> & GridInput): Promise<Grid> {
  const packages = [...new Set(input.packages ?? [])];
  const id = await db.transaction().execute(async (trx) => {
    if (await gridSlugTaken(trx, input.slug)) throw new ValidationError({ slug: ['grid with this slug already exists.'] });
    await checkPackages(trx, packages);
    const gridId = await insertGrid(trx, { title: input.title, slug: input.slug, description: input.description ?? '' });
    await addGridPackages(trx, gridId, packages);
    await refreshUsageCounts(trx, packages);
    await recordEdit(trx, {
      entityType: 'grid',
      entityId: gridId,
      gridId,
      userId,
      action: 'create',
      changes: diffFields({}, { title: input.title, slug: input.slug, description: input.description ?? '', packages }),
    });
    return gridId;
  });
  const grid = await findGridRow(db, { id });
  if (!grid) throw new NotFoundError();
  return grid;
}

/** Updates a grid (PUT or PATCH); a given `packages` list replaces the membership. Records the edit. */
export async function editGrid(db: Db, userId: number, id: number, input: GridInput): Promise<Grid> {
  await db.transaction().execute(async (trx) => {
    const before = await findGridRow(trx, { id });
    if (!before) throw new NotFoundError();
    if (input.slug !== undefined && (await gridSlugTaken(trx, input.slug, id)))
      throw new ValidationError({ slug: ['grid with this slug already exists.'] });
    const { packages, ...own } = input;
    const changes = diffFields({ title: before.title, slug: before.slug, description: before.description }, own);
    let removedIds: number[] = [];
    if (packages !== undefined) {
      const next = [...new Set(packages)];
      await checkPackages(trx, next);
      const added = next.filter((p) => !before.package_ids.includes(p));
      const removed = before.package_ids.filter((p) => !next.includes(p));
      await addGridPackages(trx, id, added);
      await removeGridPackages(trx, id, removed);
      await refreshUsageCounts(trx, [...added, ...removed]);
      removedIds = removed;
      if (added.length + removed.length > 0)
        changes.packages = [[...before.package_ids].sort((a, b) => a - b), [...next].sort((a, b) => a - b)];
    }
    await updateGrid(trx, id, own);
    // Packages that left the grid no longer carry its words; recordEdit reindexes them with the members.
    await recordEdit(trx, {
      entityType: 'grid',
      entityId: id,
      gridId: id,
      userId,
      action: 'update',
      changes,
      affectedPackageIds: removedIds,
    });
  });
  const grid = await findGridRow(db, { id });
  if (!grid) throw new NotFoundError();
  return grid;
}

/** Deletes a grid (staff); records the edit. */
export async function removeGrid(db: Db, userId: number, id: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await findGridRow(trx, { id });
    if (!before) throw new NotFoundError();
    await deleteGrid(trx, id);
    await refreshUsageCounts(trx, before.package_ids);
    await recordEdit(trx, {
      entityType: 'grid',
      entityId: id,
      gridId: id,
      userId,
      action: 'delete',
      affectedPackageIds: before.package_ids,
      changes: { title: [before.title, null], slug: [before.slug, null], packages: [before.package_ids, null] },
    });
  });
}
