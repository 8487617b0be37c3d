import type { Transaction } from 'kysely';
import type { Database, Db } from '../db/index.js';
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

/** Records who changed what; call inside the write's transaction so history and data commit together. */
export async function recordEdit(
  trx: Transaction<Database> | Db,
  e: { entityType: EditEntity; entityId: number; packageId?: number | null; gridId?: number | null; userId: number | null; action: EditAction; changes: EditChanges },
): Promise<void> {
  await insertEdit(trx, {
    entity_type: e.entityType,
    entity_id: e.entityId,
    package_id: e.packageId ?? null,
    grid_id: e.gridId ?? null,
    user_id: e.userId,
    action: e.action,
    changes: JSON.stringify(e.changes),
  });
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
