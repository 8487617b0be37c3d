import type { Migration } from 'kysely';
import * as initial from './0001-initial.js';

/** Every migration in order. Add new ones here; names sort, and are never renamed once released. */
export const migrations: Record<string, Migration> = {
  '0001-initial': initial,
};
