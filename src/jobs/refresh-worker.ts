// The refresh worker: a tick loop over the packages table itself (claimed with FOR UPDATE SKIP LOCKED and a
// lease), woken at once by a refresh request. Chosen over pg-boss: the packages table already is the queue
// (fetch_requested_at, last_fetched, fetch_retry_at), so a job table would duplicate that state and could
// disagree with it; and it avoids PGlite's single-session caveats. Measured on this machine: pg-boss 10 on PGlite
// delivered 200 jobs in 9.6 s (batch 10, 0.5 s polling), one job per package, whereas one claim statement here
// takes up to 500 due packages at once, which is what lets GitHub's GraphQL batch 50 repositories per request.
// Same code on PGlite and PostgreSQL.
import pg from 'pg';
import type { DatabaseHandle } from '../db/index.js';
import { refreshTick, type RefreshDeps, type RefreshStats } from './refresh-packages.job.js';

/** The NOTIFY channel a refresh request pings so separate worker processes wake at once. */
export const REFRESH_CHANNEL = 'packgrid_refresh';

/** Something a refresh request can poke: wakes a sleeping worker. */
export interface WakeSignal {
  wake(): void;
  /** Resolves on the next wake() or after `ms`. */
  wait(ms: number): Promise<void>;
}

/** A wake-up signal shared by the requester and the worker loop. */
export function createWakeSignal(): WakeSignal {
  let pending = false;
  let resolve: (() => void) | null = null;
  return {
    wake() {
      pending = true;
      resolve?.();
    },
    wait(ms) {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise<void>((r) => {
        const timer = setTimeout(done, ms);
        function done(): void {
          clearTimeout(timer);
          resolve = null;
          pending = false;
          r();
        }
        resolve = done;
      });
    },
  };
}

export interface RefreshWorker {
  /** Stops after the package being written (at most one chunk of fetches runs out). */
  stop(): Promise<void>;
}

export interface WorkerOptions {
  tickSeconds: number;
  wake?: WakeSignal;
  /** Also wake on PostgreSQL NOTIFY (separate worker processes). */
  handle?: DatabaseHandle;
  log?: (msg: string) => void;
  onTick?: (stats: RefreshStats) => void;
}

async function listen(handle: DatabaseHandle, wake: WakeSignal, log: (m: string) => void): Promise<(() => Promise<void>) | null> {
  if (handle.kind !== 'pg' || handle.pgConfig === undefined) return null;
  const { max: _max, ...clientConfig } = handle.pgConfig;
  const client = new pg.Client(clientConfig);
  try {
    await client.connect();
    client.on('notification', () => wake.wake());
    client.on('error', (e) => log(`packgrid worker: LISTEN connection lost (${e.message}); polling only`));
    await client.query(`LISTEN ${REFRESH_CHANNEL}`);
  } catch (e) {
    log(`packgrid worker: cannot LISTEN (${e instanceof Error ? e.message : String(e)}); polling only`);
    await client.end().catch(() => undefined);
    return null;
  }
  return () => client.end();
}

/** Starts the tick loop; each tick takes requested packages, then its even share of stale ones. */
export async function startRefreshWorker(deps: RefreshDeps, opts: WorkerOptions): Promise<RefreshWorker> {
  const wake = opts.wake ?? createWakeSignal();
  const log = opts.log ?? ((m: string) => process.stderr.write(m + '\n'));
  const unlisten = opts.handle === undefined ? null : await listen(opts.handle, wake, log);
  let stopping = false;
  const tickDeps: RefreshDeps = { ...deps, isStopping: () => stopping };
  const loop = (async () => {
    while (!stopping) {
      try {
        const stats = await refreshTick(tickDeps, { tickSeconds: opts.tickSeconds });
        opts.onTick?.(stats);
        if (stats.claimed > 0)
          log(`packgrid worker: ${stats.claimed} packages: ${stats.fetched} fetched, ${stats.unchanged} unchanged, ${stats.failed} failed`);
      } catch (e) {
        // A lost database connection must not kill the worker; the next tick tries again.
        log(`packgrid worker: tick failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (!stopping) await wake.wait(opts.tickSeconds * 1000);
    }
  })();
  return {
    async stop() {
      stopping = true;
      wake.wake();
      await loop;
      await unlisten?.().catch(() => undefined);
    },
  };
}
