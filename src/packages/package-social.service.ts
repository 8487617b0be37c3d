import { reindexPackages } from '../search/search.service.js';
import type { Db } from '../db/index.js';
import { NotFoundError, PermissionDeniedError, ValidationError } from '../errors.js';
import { diffFields, recordEdit } from '../history/history.service.js';
import {
  approveFlagRow,
  deleteExampleRow,
  deleteFlagRow,
  findExample,
  insertExample,
  insertFlag,
  moderationQueue,
  packageExists,
  setFavouriteRow,
  setUsageRow,
  updateExample,
} from './package-social.repository.js';

/** Who is acting (staff may edit anyone's example and moderate). */
export interface Actor {
  id: number;
  staff: boolean;
}

async function mustExist(db: Db, packageId: number): Promise<void> {
  if (!(await packageExists(db, packageId))) throw new NotFoundError('No such package.');
}

/** Favourites or un-favourites a package; returns the package's favourite count. */
export async function setFavourite(db: Db, userId: number, packageId: number, on: boolean): Promise<number> {
  await mustExist(db, packageId);
  return db.transaction().execute((trx) => setFavouriteRow(trx, userId, packageId, on));
}

/** Marks or unmarks "I use this"; returns the package's usage count. */
export async function setUsage(db: Db, userId: number, packageId: number, on: boolean): Promise<number> {
  await mustExist(db, packageId);
  return db.transaction().execute(async (trx) => {
    const count = await setUsageRow(trx, userId, packageId, on);
    // The usage count is one of the search-weight rules.
    await reindexPackages(trx, [packageId]);
    return count;
  });
}

/** Flags a package for staff review; one flag per user and package. */
export async function flagPackage(db: Db, userId: number, packageId: number, reason: string): Promise<void> {
  const r = reason.trim();
  if (r.length < 5) throw new ValidationError({ reason: ['Please say in a few words what is wrong (at least 5 characters).'] });
  if (r.length > 2000) throw new ValidationError({ reason: ['Keep it under 2000 characters.'] });
  await mustExist(db, packageId);
  if (!(await insertFlag(db, userId, packageId, r))) throw new ValidationError({ reason: ['You have already flagged this package.'] });
}

function checkExample(title: string, url: string): { title: string; url: string } {
  const errors: Record<string, string[]> = {};
  const t = title.trim();
  const u = url.trim();
  if (t === '') errors.title = ['This field is required.'];
  else if (t.length > 100) errors.title = ['Ensure this value has at most 100 characters.'];
  if (!/^https?:\/\/[^\s/]+\.[^\s]+$/i.test(u) || u.length > 255) errors.url = ['Enter a valid http(s) URL.'];
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return { title: t, url: u };
}

/** Adds a "site using this package"; it waits for staff approval (active = null). Records the edit. */
export async function addExample(db: Db, actor: Actor, packageId: number, input: { title: string; url: string }): Promise<number> {
  const v = checkExample(input.title, input.url);
  await mustExist(db, packageId);
  return db.transaction().execute(async (trx) => {
    const id = await insertExample(trx, { package_id: packageId, ...v, created_by_id: actor.id });
    await recordEdit(trx, {
      entityType: 'package',
      entityId: packageId,
      packageId,
      userId: actor.id,
      action: 'update',
      changes: { [`example:${id}`]: [null, v] },
    });
    return id;
  });
}

async function ownedExample(db: Db, actor: Actor, id: number) {
  const ex = await findExample(db, id);
  if (!ex) throw new NotFoundError('No such example.');
  if (ex.created_by_id !== actor.id && !actor.staff)
    throw new PermissionDeniedError('Only the person who added this site, or staff, may change it.');
  return ex;
}

/** Edits an example (owner or staff); an owner's edit goes back to moderation. Records the edit. */
export async function editExample(db: Db, actor: Actor, id: number, input: { title: string; url: string }): Promise<void> {
  const v = checkExample(input.title, input.url);
  const ex = await ownedExample(db, actor, id);
  await db.transaction().execute(async (trx) => {
    await updateExample(trx, id, { ...v, ...(actor.staff ? {} : { active: null }) });
    const changes = diffFields({ title: ex.title, url: ex.url }, v);
    await recordEdit(trx, {
      entityType: 'package',
      entityId: ex.package_id,
      packageId: ex.package_id,
      userId: actor.id,
      action: 'update',
      changes: { [`example:${id}`]: [changes, null] },
    });
  });
}

/** Deletes an example (owner or staff). Records the edit. */
export async function deleteExample(db: Db, actor: Actor, id: number): Promise<number> {
  const ex = await ownedExample(db, actor, id);
  await db.transaction().execute(async (trx) => {
    await deleteExampleRow(trx, id);
    await recordEdit(trx, {
      entityType: 'package',
      entityId: ex.package_id,
      packageId: ex.package_id,
      userId: actor.id,
      action: 'update',
      changes: { [`example:${id}`]: [{ title: ex.title, url: ex.url }, null] },
    });
  });
  return ex.package_id;
}

/** The staff moderation queue. */
export async function getModerationQueue(db: Db): ReturnType<typeof moderationQueue> {
  return moderationQueue(db);
}

/** Staff decision on an example: approve (shown) or reject (hidden). */
export async function moderateExample(db: Db, actor: Actor, id: number, approve: boolean): Promise<void> {
  if (!actor.staff) throw new PermissionDeniedError('Only staff can moderate.');
  const ex = await findExample(db, id);
  if (!ex) throw new NotFoundError('No such example.');
  await db.transaction().execute(async (trx) => {
    await updateExample(trx, id, { active: approve });
    await recordEdit(trx, {
      entityType: 'package',
      entityId: ex.package_id,
      packageId: ex.package_id,
      userId: actor.id,
      action: 'update',
      changes: { [`example:${id}:active`]: [ex.active, approve] },
    });
  });
}

/** Staff decision on a flag: approve it, or remove it. */
export async function moderateFlag(db: Db, actor: Actor, id: number, approve: boolean): Promise<void> {
  if (!actor.staff) throw new PermissionDeniedError('Only staff can moderate.');
  const ok = approve ? await approveFlagRow(db, id) : await deleteFlagRow(db, id);
  if (!ok) throw new NotFoundError('No such flag.');
}
