import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { openDatabase, type DatabaseHandle } from './db/index.js';
import { migrateToLatest } from './db/migrate.js';
import { isSeeded, seedDemoData } from './interchange/demo-seed.js';
import { loadDemoTemplate } from './interchange/demo-template.js';
import { createRefreshDeps } from './jobs/refresh-deps.js';
import { createWakingRefreshRequester } from './jobs/refresh-requester.js';
import { createWakeSignal, startRefreshWorker } from './jobs/refresh-worker.js';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** A running server and how to stop it. */
export interface RunningServer {
  app: FastifyInstance;
  handle: DatabaseHandle;
  url: string;
  stop(): Promise<void>;
}

/** Hooks run after the app is built (the in-process refresh worker starts here). */
export type StartHook = (ctx: AppContext) => Promise<(() => Promise<void>) | void>;

const startHooks: StartHook[] = [];

/** Registers something to start with the server and stop with it. */
export function onServerStart(hook: StartHook): void {
  startHooks.push(hook);
}

/** config -> database -> migrate -> seed on first start -> listen. */
export async function startServer(
  config: Config,
  log: (msg: string) => void = (m) => process.stderr.write(m + '\n'),
): Promise<RunningServer> {
  const embedded = config.databaseUrl === undefined;
  let template: Blob | undefined;
  if (embedded && !existsSync(path.join(config.dataDir, 'db', 'PG_VERSION'))) {
    // A template prebuilt by `npm install` (same code, same zone) replaces initdb and the seed on a first start.
    template = config.seedDemoData ? loadDemoTemplate(config.timeZone) : undefined;
    log(
      template
        ? `packgrid: creating the embedded database in ${path.join(config.dataDir, 'db')} from the prebuilt demo template...`
        : `packgrid: initialising the embedded database in ${path.join(config.dataDir, 'db')} (first start takes a few seconds)...`,
    );
  }
  const handle = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: embedded ? config.dataDir : undefined,
    loadDataDir: template,
  });
  const stops: (() => Promise<void>)[] = [];
  try {
    await migrateToLatest(handle.db);
    if (config.seedDemoData && !(await isSeeded(handle.db))) {
      log('packgrid: loading the demo data (real djangopackages.org records and the 2011 grids)...');
      const { snapshot, v4 } = await seedDemoData(handle.db, config.timeZone);
      log(
        `packgrid: demo data loaded: ${snapshot.counts.packages ?? 0} packages and ${snapshot.counts.grids ?? 0} grids from 2011, ${v4.inserted + v4.updated} current records.`,
      );
    }
    // The in-process worker (embedded default) is woken directly; separate workers hear a NOTIFY.
    const wake = config.inProcessWorker ? createWakeSignal() : undefined;
    const ctx: AppContext = { config, db: handle.db, handle, refresh: createWakingRefreshRequester(handle.db, wake) };
    if (wake !== undefined)
      stops.push(
        (await startRefreshWorker(createRefreshDeps(config, handle.db), { tickSeconds: config.fetchTickSeconds, wake, log })).stop,
      );
    const app = await buildApp(ctx);
    for (const hook of startHooks) {
      const stop = await hook(ctx);
      if (stop) stops.push(stop);
    }
    const address = await app.listen({ port: config.port, host: config.host });
    const url = address.replace(/\/\/(0\.0\.0\.0|127\.0\.0\.1|\[::1?\])/, '//localhost');
    let stopped = false;
    return {
      app,
      handle,
      url,
      async stop() {
        if (stopped) return;
        stopped = true;
        await app.close();
        for (const s of stops.reverse()) await s().catch(() => undefined);
        await handle.close();
      },
    };
  } catch (e) {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    await handle.close();
    throw e;
  }
}
