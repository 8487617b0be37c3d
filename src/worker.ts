// Entry for `packgrid worker`: opens the database, runs the refresh tick loop, no HTTP. Several worker processes
// may share one PostgreSQL: the lease claim guarantees no package is fetched by two at once.
import type { Config } from './config.js';
import { openDatabase, type DatabaseHandle } from './db/index.js';
import { migrateToLatest } from './db/migrate.js';
import { createRefreshDeps } from './jobs/refresh-deps.js';
import { startRefreshWorker, type RefreshWorker } from './jobs/refresh-worker.js';

/** A running worker process and how to stop it. */
export interface RunningWorker {
  handle: DatabaseHandle;
  worker: RefreshWorker;
  stop(): Promise<void>;
}

/** config -> database -> migrate -> refresh loop (woken by NOTIFY on PostgreSQL, else every FETCH_TICK_SECONDS). */
export async function startWorker(
  config: Config,
  log: (msg: string) => void = (m) => process.stderr.write(m + '\n'),
): Promise<RunningWorker> {
  const handle = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl === undefined ? config.dataDir : undefined,
  });
  try {
    await migrateToLatest(handle.db);
    const worker = await startRefreshWorker(createRefreshDeps(config, handle.db), { tickSeconds: config.fetchTickSeconds, handle, log });
    let stopped = false;
    return {
      handle,
      worker,
      async stop() {
        if (stopped) return;
        stopped = true;
        await worker.stop();
        await handle.close();
      },
    };
  } catch (e) {
    await handle.close();
    throw e;
  }
}
