import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp } from '../../src/app.js';
import type { AppContext } from '../../src/context.js';
import { createDbRefreshRequester } from '../../src/packages/refresh-request.js';
import { testConfig } from '../app.js';
import { createTestDb, type TestDb } from '../db.js';
import { startFakeOAuth, type FakeOAuth } from '../fake-oauth/server.js';

/** Where screenshots go (the CI run keeps test-results/). */
export const SCREENSHOT_DIR = path.resolve('test-results/screenshots');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** A listening packgrid (seeded PGlite), the fake OAuth provider and a headless Chromium. */
export interface BrowserHarness {
  url: string;
  db: TestDb;
  app: FastifyInstance;
  oauth: FakeOAuth;
  browser: Browser;
  close(): Promise<void>;
}

/** Starts everything the browser tests need. */
export async function startHarness(): Promise<BrowserHarness> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const db = await createTestDb('pglite', { seeded: true });
  const oauth = await startFakeOAuth();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = testConfig({ ...oauth.env, SITE_URL: url });
  const ctx: AppContext = { config, db: db.db, handle: db.handle, refresh: createDbRefreshRequester(db.db) };
  const app = await buildApp(ctx);
  await app.listen({ port, host: '127.0.0.1' });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  return {
    url,
    db,
    app,
    oauth,
    browser,
    async close() {
      await browser.close();
      await app.close();
      await oauth.close();
      await db.close();
    },
  };
}

/** A new page that records console errors and uncaught exceptions. */
export async function openPage(
  h: BrowserHarness,
  width = 1280,
  colorScheme: 'light' | 'dark' = 'light',
): Promise<{ page: Page; errors: string[] }> {
  const context = await h.browser.newContext({ viewport: { width, height: 900 }, colorScheme });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}

/** Saves a full-page screenshot under test-results/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}
