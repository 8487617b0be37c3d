/**
 * bench:pages — the home page, a package page and a generated 100-package × 30-feature grid page under load
 * (autocannon, 10 s each, anonymous), against a bare node:http server answering the same bytes from memory in the
 * same run, plus the grid page signed in (the layout is rendered per request), one uncached render and the median of
 * 15 uncached renders (anonymous and signed in; a fresh filter per request defeats the page cache). Runs on PostgreSQL (database bench_pages on BENCH_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/test) and on PGlite (fresh DATA_DIR); `packgrid serve` runs in a child process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createSession, createUser, SESSION_COOKIE } from '../src/accounts/account.service.js';
import { openDatabase, type Db } from '../src/db/index.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedDemoData } from '../src/interchange/demo-seed.js';
import { createBigGrid } from '../test/browser/big-grid.js';
import { capture, median, runLoad, spawnPackgrid, BENCH_SERVER_ENV, startBareServer, type LoadResult } from './lib/load.js';

const DURATION = 10;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PAGES = ['home', 'package', 'grid'] as const;
type PageName = (typeof PAGES)[number];

async function populate(db: Db): Promise<{ paths: Record<PageName, string>; cookie: string }> {
  await migrateToLatest(db);
  await seedDemoData(db, 'America/New_York');
  await createBigGrid(db, { slug: 'bench-grid', packages: 100, features: 30 });
  await sql`ANALYZE`.execute(db);
  const p = await db
    .selectFrom('packages')
    .select('slug')
    .where('latest_version_id', 'is not', null)
    .orderBy('repo_watchers', 'desc')
    .executeTakeFirstOrThrow();
  // A signed-in visitor gets edit links and a CSRF token, so the grid is rendered afresh on every request.
  const user = await createUser(db, { username: 'bench-user' });
  const session = await createSession(db, user.id);
  return {
    paths: { home: '/', package: `/packages/p/${p.slug}/`, grid: '/grids/g/bench-grid/' },
    cookie: `${SESSION_COOKIE}=${session.cookieValue}`,
  };
}

type Figures = Record<PageName, { app: LoadResult; bare: LoadResult; bytes: number }> & {
  gridSignedIn: LoadResult;
  gridColdMs: number;
  gridColdMedianMs: { anon: number; editor: number };
  gridSignedInBytes: number;
};

const COLD_SAMPLES = 15;
// Filters every generated package's description contains ("Package number N of the big grid, for comparing things."):
// each is a fresh cache key, so every request renders the full 100 × 30 grid from the database.
const COLD_FILTERS = ((phrase) => {
  const out: string[] = [];
  for (let i = 0; i < phrase.length; i++)
    for (let j = i + 3; j <= phrase.length; j++) if (phrase.slice(i, j).trim() === phrase.slice(i, j)) out.push(phrase.slice(i, j));
  return [...new Set(out)];
})('of the big grid, for comparing things');

/** Median time of uncached grid page requests, one at a time (each with a filter nobody asked for before). */
async function coldGridMedian(url: string, headers: Record<string, string>, offset: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < COLD_SAMPLES; i++) {
    const q = COLD_FILTERS[(offset + i) % COLD_FILTERS.length] ?? '';
    const t0 = performance.now();
    const r = await capture(`${url}?q=${encodeURIComponent(q)}`, headers);
    times.push(performance.now() - t0);
    if (r.status !== 200 || !r.body.includes('Showing 100 of 100 packages'))
      throw new Error(`cold grid render (q=${q}): status ${r.status}, not the whole grid`);
  }
  return Math.round(median(times) * 10) / 10;
}

async function measure(
  label: string,
  env: Record<string, string>,
  { paths, cookie }: { paths: Record<PageName, string>; cookie: string },
  port: number,
): Promise<Figures> {
  const server = await spawnPackgrid({ ...BENCH_SERVER_ENV, ...env }, port);
  try {
    const headers = { accept: 'text/html' };
    const routes = new Map<string, { body: Buffer; contentType: string }>();
    const sizes = {} as Record<PageName, number>;
    for (const name of PAGES) {
      const c = await capture(server.url + paths[name], headers);
      if (c.status !== 200) throw new Error(`${label} ${name}: status ${c.status}`);
      routes.set(paths[name], { body: c.body, contentType: c.contentType });
      sizes[name] = c.body.length;
    }
    const bare = await startBareServer(routes);
    try {
      const out = {} as Figures;
      console.log(`\n${label}  (${CONNECTIONS} connections, ${DURATION} s each)`);
      for (const name of PAGES) {
        // Interleaved bare/app runs so drift on the shared machine hits both sides alike.
        const b = await runLoad(bare.url + paths[name], { duration: DURATION, connections: CONNECTIONS, headers });
        const a = await runLoad(server.url + paths[name], { duration: DURATION, connections: CONNECTIONS, headers });
        if (a.non2xx > 0 || a.errors > 0) console.warn(`${label} ${name}: ${a.non2xx} non-2xx, ${a.errors} errors`);
        out[name] = { app: a, bare: b, bytes: sizes[name] };
        const row = (n: string, r: LoadResult) =>
          console.log(
            `  ${n.padEnd(18)} ${String(r.requests_per_sec).padStart(7)} req/s   p50 ${String(r.p50_ms).padStart(4)} ms   p99 ${String(r.p99_ms).padStart(4)} ms`,
          );
        console.log(` ${name} (${sizes[name]} bytes)`);
        row('bare node:http', b);
        row('packgrid', a);
        console.log(`  ratio ${(a.requests_per_sec / b.requests_per_sec).toFixed(3)}`);
      }
      // The first signed-in request renders the editor's grid body from the database (nothing cached for it yet).
      const coldStart = performance.now();
      const signed = await capture(server.url + paths.grid, { ...headers, cookie });
      out.gridColdMs = Math.round((performance.now() - coldStart) * 10) / 10;
      if (signed.status !== 200 || !signed.body.includes('Log out'))
        throw new Error(`${label}: signed-in grid page did not render signed in`);
      out.gridSignedIn = await runLoad(server.url + paths.grid, {
        duration: DURATION,
        connections: CONNECTIONS,
        headers: { ...headers, cookie },
      });
      out.gridSignedInBytes = signed.body.length;
      const s = out.gridSignedIn;
      console.log(
        ` grid, signed in (${signed.body.length} bytes): first, uncached request ${out.gridColdMs} ms; then the layout per request, grid body cached`,
      );
      console.log(
        `  ${'packgrid'.padEnd(18)} ${String(s.requests_per_sec).padStart(7)} req/s   p50 ${String(s.p50_ms).padStart(4)} ms   p99 ${String(s.p99_ms).padStart(4)} ms`,
      );
      out.gridColdMedianMs = {
        anon: await coldGridMedian(server.url + paths.grid, headers, 0),
        editor: await coldGridMedian(server.url + paths.grid, { ...headers, cookie }, COLD_SAMPLES),
      };
      console.log(
        ` grid, uncached (fresh filter each time, ${COLD_SAMPLES} sequential requests): median ${out.gridColdMedianMs.anon} ms anonymous, ${out.gridColdMedianMs.editor} ms signed in`,
      );
      return out;
    } finally {
      await bare.close();
    }
  } finally {
    await server.stop();
  }
}

const ratio = (f: Figures[PageName]): number => Math.round((f.app.requests_per_sec / f.bare.requests_per_sec) * 1000) / 1000;

async function main(): Promise<void> {
  const admin = await openDatabase({ databaseUrl: ADMIN_URL, poolSize: 1 });
  await sql`DROP DATABASE IF EXISTS bench_pages`.execute(admin.db);
  await sql`CREATE DATABASE bench_pages`.execute(admin.db);
  await admin.close();
  const url = new URL(ADMIN_URL);
  url.pathname = '/bench_pages';
  const h = await openDatabase({ databaseUrl: url.toString(), poolSize: 2 });
  const pgPaths = await populate(h.db);
  await h.close();
  const pg = await measure('PostgreSQL', { DATABASE_URL: url.toString() }, pgPaths, 18421);

  let pglite: Figures | undefined;
  if (process.env.BENCH_SKIP_PGLITE !== '1') {
    const dir = mkdtempSync(path.join(tmpdir(), 'packgrid-bench-pages-'));
    try {
      const p = await openDatabase({ dataDir: dir });
      const paths = await populate(p.db);
      await p.close();
      pglite = await measure('PGlite', { DATA_DIR: dir }, paths, 18422);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const out: Record<string, number> = {
    grid_p99_ms_pg: pg.grid.app.p99_ms,
    package_p99_ms_pg: pg.package.app.p99_ms,
    home_p99_ms_pg: pg.home.app.p99_ms,
    grid_rps_pg: pg.grid.app.requests_per_sec,
    package_rps_pg: pg.package.app.requests_per_sec,
    home_rps_pg: pg.home.app.requests_per_sec,
    grid_ratio_pg: ratio(pg.grid),
    package_ratio_pg: ratio(pg.package),
    home_ratio_pg: ratio(pg.home),
    grid_signed_in_p99_ms_pg: pg.gridSignedIn.p99_ms,
    grid_signed_in_rps_pg: pg.gridSignedIn.requests_per_sec,
    grid_cold_render_ms_pg: pg.gridColdMs,
    grid_uncached_median_ms_pg: pg.gridColdMedianMs.anon,
    grid_signed_in_uncached_median_ms_pg: pg.gridColdMedianMs.editor,
    grid_bytes: pg.grid.bytes,
    grid_signed_in_bytes: pg.gridSignedInBytes,
    connections: CONNECTIONS,
  };
  if (pglite) {
    Object.assign(out, {
      grid_p99_ms_pglite: pglite.grid.app.p99_ms,
      package_p99_ms_pglite: pglite.package.app.p99_ms,
      home_p99_ms_pglite: pglite.home.app.p99_ms,
      grid_ratio_pglite: ratio(pglite.grid),
      grid_signed_in_p99_ms_pglite: pglite.gridSignedIn.p99_ms,
      grid_cold_render_ms_pglite: pglite.gridColdMs,
      grid_uncached_median_ms_pglite: pglite.gridColdMedianMs.anon,
      grid_signed_in_uncached_median_ms_pglite: pglite.gridColdMedianMs.editor,
      package_ratio_pglite: ratio(pglite.package),
      home_ratio_pglite: ratio(pglite.home),
    });
  }
  console.log(JSON.stringify(out));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
