// The refresh requester the server puts in its context: keeps the marking contract of
// packages/refresh-request.ts (the worker takes marked packages first) and wakes workers at once.
import type { RefreshRequester } from '../context.js';
import type { Db } from '../db/index.js';
import { createDbRefreshRequester } from '../packages/refresh-request.js';
import { notifyChannel } from './refresh.repository.js';
import { REFRESH_CHANNEL, type WakeSignal } from './refresh-worker.js';

/** Marks packages, then wakes the in-process worker (if any) and NOTIFYs separate worker processes. */
export function createWakingRefreshRequester(db: Db, wake: WakeSignal | undefined): RefreshRequester {
  const mark = createDbRefreshRequester(db);
  return {
    async requestRefresh(packageIds, reason) {
      if (packageIds.length === 0) return;
      await mark.requestRefresh(packageIds, reason);
      wake?.wake();
      // Best effort: a worker that misses it still finds the mark on its next tick (FETCH_TICK_SECONDS).
      await notifyChannel(db, REFRESH_CHANNEL).catch(() => undefined);
    },
  };
}
