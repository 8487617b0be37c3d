import type { Transaction } from 'kysely';
import type { Database, Db } from '../db/index.js';
import { reindexGrids, reindexPackages } from '../search/search.service.js';
import { insertEdit, listEdits } from './history.repository.js';

/** What kind of thing changed. */
export type EditEntity = 'package' | 'grid' | 'category' | 'grid_package' | 'feature' | 'element';
/** What happened to it. */
export type EditAction = 'create' | 'update' | 'delete';
/** Field-by-field change: [before, after] (before is null on create, after null on delete). */
export type EditChanges = Record<string, [unknown, unknown]>;

/** One entry of an edit history, as pages and the API show it. */
export interface EditEntry {
  id: number;
  entityType: string;
  entityId: number;
  packageId: number | null;
  gridId: number | null;
  userId: number | null;
  username: string | null;
  action: string;
  changes: EditChanges;
  created: string;
}

const listeners = new Set<() => void>();

/** Runs `fn` whenever a write is recorded (caches of rendered responses clear themselves this way). */
export function onDataChange(fn: () => void): void {
  listeners.add(fn);
}

/** Tells listeners that data changed (recordEdit does; call it after writes that record no edit). */
export function signalDataChange(): void {
  for (const fn of listeners) fn();
}

/** What one edit touched, for the history and for the search index. */
export interface EditRecord {
  entityType: EditEntity;
  entityId: number;
  packageId?: number | null;
  gridId?: number | null;
  userId: number | null;
  action: EditAction;
  changes: EditChanges;
  /** Packages whose search text changed although the edit no longer links them (a deleted grid's members). */
  affectedPackageIds?: readonly number[];
}

/**
 * Brings the search index in step with one edit, inside the edit's transaction. Every edit passes through
 * recordEdit, so this is the one place that keeps the index from going stale between rebuilds.
 */
async function reindexFor(trx: Transaction<Database> | Db, e: EditRecord): Promise<void> {
  const packageIds = [...(e.affectedPackageIds ?? [])];
  if (e.packageId) packageIds.push(e.packageId);
  else if (e.entityType === 'package') packageIds.push(e.entityId);
  // A grid's title, description and features are part of every member package's document.
  const gridWide =
    e.entityType === 'grid' ||
    e.entityType === 'feature' ||
    e.entityType === 'grid_package' ||
    (e.entityType === 'element' && !e.packageId);
  if (gridWide && e.gridId) await reindexGrids(trx, [e.gridId]);
  await reindexPackages(trx, packageIds);
}

/**
 * Records who changed what and refreshes the affected search documents; call inside the write's transaction so
 * history, data and index commit together.
 */
export async function recordEdit(trx: Transaction<Database> | Db, e: EditRecord): Promise<void> {
  await insertEdit(trx, {
    entity_type: e.entityType,
    entity_id: e.entityId,
    package_id: e.packageId ?? null,
    grid_id: e.gridId ?? null,
    user_id: e.userId,
    action: e.action,
    changes: JSON.stringify(e.changes),
  });
  await reindexFor(trx, e);
  signalDataChange();
}

/** The fields that differ between two snapshots, as [before, after] pairs. */
export function diffFields(before: Record<string, unknown>, after: Record<string, unknown>): EditChanges {
  const out: EditChanges = {};
  for (const [k, v] of Object.entries(after)) {
    const old = before[k];
    if (JSON.stringify(old) !== JSON.stringify(v)) out[k] = [old ?? null, v];
  }
  return out;
}

/** A package's or grid's edit history, newest first. */
export async function editHistory(db: Db, filter: { packageId: number } | { gridId: number }, limit = 100): Promise<EditEntry[]> {
  const rows = await listEdits(db, filter, limit);
  return rows.map((r) => ({
    id: Number(r.id),
    entityType: r.entity_type,
    entityId: r.entity_id,
    packageId: r.package_id,
    gridId: r.grid_id,
    userId: r.user_id,
    username: r.username,
    action: r.action,
    changes: (typeof r.changes === 'string' ? JSON.parse(r.changes) : r.changes) as EditChanges,
    created: r.created,
  }));
}
