import type { Db } from '../db/index.js';
import { NotFoundError, PermissionDeniedError, ValidationError } from '../errors.js';
import { diffFields, recordEdit } from '../history/history.service.js';
import {
  deleteFeatureRow,
  deleteGridPackageRow,
  elementText,
  findFeature,
  findGridPackage,
  insertFeature,
  insertGridPackage,
  searchPackagesForGrid,
  touchGrid,
  touchPackage,
  updateFeature,
  upsertElement,
  type FeatureRecord,
} from './grid-content.repository.js';

/** Who is acting; deletes need staff. */
export interface Actor {
  id: number;
  staff: boolean;
}

function checkFeature(input: { title: string; description: string }): { title: string; description: string } {
  const errors: Record<string, string[]> = {};
  const title = input.title.trim();
  const description = input.description.trim();
  if (title === '') errors.title = ['This field is required.'];
  else if (title.length > 100) errors.title = ['Ensure this value has at most 100 characters.'];
  if (description.length > 1000) errors.description = ['Ensure this value has at most 1000 characters.'];
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return { title, description };
}

/** A feature by id, or 404. */
export async function getFeature(db: Db, id: number): Promise<FeatureRecord> {
  const f = await findFeature(db, id);
  if (!f) throw new NotFoundError('No such feature.');
  return f;
}

/** Adds a feature row to a grid; records the edit. */
export async function addFeature(db: Db, actor: Actor, gridId: number, input: { title: string; description: string }): Promise<number> {
  const v = checkFeature(input);
  return db.transaction().execute(async (trx) => {
    const id = await insertFeature(trx, { grid_id: gridId, ...v });
    await touchGrid(trx, gridId);
    await recordEdit(trx, { entityType: 'feature', entityId: id, gridId, userId: actor.id, action: 'create', changes: diffFields({}, v) });
    return id;
  });
}

/** Edits a feature; records the edit. */
export async function editFeature(db: Db, actor: Actor, id: number, input: { title: string; description: string }): Promise<FeatureRecord> {
  const v = checkFeature(input);
  const before = await getFeature(db, id);
  await db.transaction().execute(async (trx) => {
    await updateFeature(trx, id, v);
    await touchGrid(trx, before.grid_id);
    await recordEdit(trx, {
      entityType: 'feature',
      entityId: id,
      gridId: before.grid_id,
      userId: actor.id,
      action: 'update',
      changes: diffFields({ title: before.title, description: before.description }, v),
    });
  });
  return { ...before, ...v };
}

/** Deletes a feature and its cells (staff); records the edit. */
export async function deleteFeature(db: Db, actor: Actor, id: number): Promise<FeatureRecord> {
  if (!actor.staff) throw new PermissionDeniedError('Only staff can delete features.');
  const before = await getFeature(db, id);
  await db.transaction().execute(async (trx) => {
    await deleteFeatureRow(trx, id);
    await touchGrid(trx, before.grid_id);
    await recordEdit(trx, {
      entityType: 'feature',
      entityId: id,
      gridId: before.grid_id,
      userId: actor.id,
      action: 'delete',
      changes: diffFields({ title: before.title, description: before.description }, { title: null, description: null }),
    });
  });
  return before;
}

/** Adds a package to a grid; a package already there is a validation error. Records the edit. */
export async function addPackageToGrid(db: Db, actor: Actor, gridId: number, packageId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const exists = await trx.selectFrom('packages').select('id').where('id', '=', packageId).executeTakeFirst();
    if (!exists) throw new ValidationError({ package: ['No such package.'] });
    const id = await insertGridPackage(trx, gridId, packageId);
    if (id === undefined) throw new ValidationError({ package: ['This package is already in the grid.'] });
    await touchGrid(trx, gridId);
    await recordEdit(trx, {
      entityType: 'grid_package',
      entityId: id,
      gridId,
      packageId,
      userId: actor.id,
      action: 'create',
      changes: { package: [null, packageId] },
    });
  });
}

/** Removes a package (and its cells) from a grid (staff); records the edit. */
export async function removePackageFromGrid(db: Db, actor: Actor, gridId: number, packageId: number): Promise<void> {
  if (!actor.staff) throw new PermissionDeniedError('Only staff can remove packages from a grid.');
  await db.transaction().execute(async (trx) => {
    const gp = await findGridPackage(trx, gridId, packageId);
    if (!gp) throw new NotFoundError('That package is not in this grid.');
    await deleteGridPackageRow(trx, gp.id);
    await touchGrid(trx, gridId);
    await recordEdit(trx, {
      entityType: 'grid_package',
      entityId: gp.id,
      gridId,
      packageId,
      userId: actor.id,
      action: 'delete',
      changes: { package: [packageId, null] },
    });
  });
}

/** The current text of a cell ('' if never written); 404 when the package is not in the grid or the feature not in it. */
export async function getCell(
  db: Db,
  gridId: number,
  packageId: number,
  featureId: number,
): Promise<{ gridPackageId: number; text: string; feature: FeatureRecord }> {
  const [gp, feature] = await Promise.all([findGridPackage(db, gridId, packageId), findFeature(db, featureId)]);
  if (!gp || !feature || feature.grid_id !== gridId) throw new NotFoundError('No such cell.');
  return { gridPackageId: gp.id, text: (await elementText(db, gp.id, featureId)) ?? '', feature };
}

/** Writes a cell in place (upsert); records the edit when the text changed. */
export async function setCell(db: Db, actor: Actor, gridId: number, packageId: number, featureId: number, text: string): Promise<string> {
  const t = text.replace(/\r\n/g, '\n').trim();
  if (t.length > 1000) throw new ValidationError({ text: ['Ensure this value has at most 1000 characters.'] });
  const cell = await getCell(db, gridId, packageId, featureId);
  if (cell.text === t) return t;
  await db.transaction().execute(async (trx) => {
    const id = await upsertElement(trx, cell.gridPackageId, featureId, t);
    await touchGrid(trx, gridId);
    await touchPackage(trx, packageId);
    await recordEdit(trx, {
      entityType: 'element',
      entityId: id,
      gridId,
      packageId,
      userId: actor.id,
      action: cell.text === '' ? 'create' : 'update',
      changes: { text: [cell.text, t] },
    });
  });
  return t;
}

/** Packages that could be added to a grid, for the picker. */
export async function findPackagesForGrid(
  db: Db,
  gridId: number,
  q: string,
): Promise<{ id: number; title: string; slug: string; repo_watchers: number }[]> {
  const s = q.trim();
  if (s.length < 2) return [];
  return searchPackagesForGrid(db, gridId, s.slice(0, 100), 20);
}
