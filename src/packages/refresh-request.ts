import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import type { RefreshRequester } from '../context.js';

/**
 * The simplest honest refresh request: mark the packages; the refresh worker takes marked packages first.
 * The server wraps this to wake the refresh worker at once (src/jobs/refresh-requester.ts).
 */
export function createDbRefreshRequester(db: Db): RefreshRequester {
  return {
    async requestRefresh(packageIds) {
      if (packageIds.length === 0) return;
      await db
        .updateTable('packages')
        .set({ fetch_requested_at: sql<string>`now()` })
        .where('id', 'in', [...packageIds])
        .execute();
    },
  };
}
