import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import type { AppContext, RefreshRequester } from '../src/context.js';
import { createDbRefreshRequester } from '../src/packages/refresh-request.js';
import { rebuildSearchIndex } from '../src/search/search.service.js';
import type { TestDb } from './db.js';

/** A config for tests: test mode, fixed secret, quiet logs; `env` overrides any variable. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    SECRET_KEY: 'test-secret-key-0123456789',
    SITE_URL: 'http://localhost:8000',
    LOG_LEVEL: 'silent',
    SEED_DEMO_DATA: 'false',
    ...env,
  });
}

/** Builds the app on a test database (not listening; use app.inject()). */
export async function createTestApp(
  t: TestDb,
  env: Record<string, string> = {},
  refresh?: RefreshRequester,
): Promise<{ app: FastifyInstance; ctx: AppContext }> {
  const config = testConfig(env);
  const ctx: AppContext = { config, db: t.db, handle: t.handle, refresh: refresh ?? createDbRefreshRequester(t.db) };
  const app = await buildApp(ctx);
  await app.ready();
  return { app, ctx };
}

/**
 * For a suite: builds the app on the suite's database before its tests (rebuilding the search index first, so
 * results follow the search code under test) and closes it after. Returns a getter for the app.
 */
export function appForSuite(get: () => TestDb, env: Record<string, string> = {}): () => FastifyInstance {
  let app: FastifyInstance | undefined;
  beforeAll(async () => {
    await rebuildSearchIndex(get().db);
    ({ app } = await createTestApp(get(), env));
  });
  afterAll(async () => {
    await app?.close();
  });
  return () => {
    if (!app) throw new Error('app not ready');
    return app;
  };
}

/** A config for starting the real server on an embedded DATA_DIR (port 0, no worker) in a given zone. */
export function serveConfig(dataDir: string, zone: string): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    TIME_ZONE: zone,
    LOG_LEVEL: 'silent',
    IN_PROCESS_WORKER: 'false',
  });
}

/** A fresh empty folder for an embedded database. */
export function tempDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'packgrid-serve-'));
}
