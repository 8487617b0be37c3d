import type { Transaction } from 'kysely';
import type { Database, Db } from '../db/index.js';

type Q = Db | Transaction<Database>;

/** One recorded change. */
export interface EditRow {
  id: number;
  entity_type: string;
  entity_id: number;
  package_id: number | null;
  grid_id: number | null;
  user_id: number | null;
  username: string | null;
  action: string;
  changes: unknown;
  created: string;
}

/** Inserts one edit-history row. */
export async function insertEdit(
  db: Q,
  values: {
    entity_type: string;
    entity_id: number;
    package_id: number | null;
    grid_id: number | null;
    user_id: number | null;
    action: string;
    changes: string;
  },
): Promise<void> {
  await db.insertInto('edit_history').values(values).execute();
}

/** Edits touching a package or a grid, newest first. */
export async function listEdits(db: Q, filter: { packageId: number } | { gridId: number }, limit: number): Promise<EditRow[]> {
  let q = db
    .selectFrom('edit_history as e')
    .leftJoin('users as u', 'u.id', 'e.user_id')
    .select([
      'e.id',
      'e.entity_type',
      'e.entity_id',
      'e.package_id',
      'e.grid_id',
      'e.user_id',
      'u.username',
      'e.action',
      'e.changes',
      'e.created',
    ]);
  q = 'packageId' in filter ? q.where('e.package_id', '=', filter.packageId) : q.where('e.grid_id', '=', filter.gridId);
  return q.orderBy('e.id', 'desc').limit(limit).execute();
}
