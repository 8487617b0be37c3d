/**
 * bench:api — API v4 detail and list throughput against a bare node:http server answering the same bytes.
 * Builds a database of the real demo data plus 5,000 generated packages, once on PGlite (fresh DATA_DIR) and once on
 * PostgreSQL (database bench_api on BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test), starts
 * `packgrid serve` in a child process and loads both URLs with autocannon (10 s, 32 connections, two interleaved rounds).
 * The same URL is loaded over and over, so the API's one-second response micro-cache (src/api/response-cache.ts)
 * answers most requests; that is the point of the cache and what this figure measures.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase, type Db } from '../src/db/index.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedDemoData } from '../src/interchange/demo-seed.js';
import { capture, runLoad, spawnPackgrid, BENCH_SERVER_ENV, startBareServer, type LoadResult } from './lib/load.js';

const EXTRA = 5000;
const DURATION = 10;
const CONNECTIONS = 32;
const ROUNDS = 2;
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function populate(db: Db): Promise<number> {
  await migrateToLatest(db);
  await seedDemoData(db, 'America/New_York');
  await sql`
    INSERT INTO packages (title, slug, category_id, repo_url, repo_description, repo_watchers, repo_forks, pypi_url,
                          participants, commits_over_52, last_commit_date, last_fetched, created, modified)
    SELECT 'bench-package-' || i, 'bench-package-' || i, 1 + (i % 4), 'https://github.com/bench/package-' || i,
           'A generated package for the API benchmark, number ' || i, (i * 7) % 5000, (i * 3) % 400,
           'https://pypi.org/project/bench-package-' || i || '/', ARRAY['alice', 'bob', 'carol-' || (i % 50)],
           array_fill((i % 5), ARRAY[52]), now() - (i || ' hours')::interval, now() - (i || ' minutes')::interval,
           now() - (i || ' days')::interval, now() - (i || ' seconds')::interval
    FROM generate_series(1, ${EXTRA}) AS i`.execute(db);
  await sql`
    INSERT INTO grid_packages (grid_id, package_id)
    SELECT g.id, p.id FROM packages p
    JOIN LATERAL (SELECT id FROM grids ORDER BY id OFFSET (p.id % 80) LIMIT 1) g ON true
    WHERE p.slug LIKE 'bench-package-%'
    ON CONFLICT DO NOTHING`.execute(db);
  await sql`ANALYZE`.execute(db);
  const r = await db
    .selectFrom('packages')
    .select('id')
    .where('slug', '=', `bench-package-${EXTRA / 2}`)
    .executeTakeFirstOrThrow();
  return r.id;
}

interface Figures {
  detail: LoadResult;
  list: LoadResult;
  bareDetail: LoadResult;
  bareList: LoadResult;
}

async function measure(label: string, env: Record<string, string>, detailId: number, port: number): Promise<Figures> {
  const server = await spawnPackgrid({ ...BENCH_SERVER_ENV, ...env }, port);
  try {
    const detailUrl = `${server.url}/api/v4/packages/${detailId}/`;
    const listUrl = `${server.url}/api/v4/packages/`;
    const d = await capture(detailUrl);
    const l = await capture(listUrl);
    if (d.status !== 200 || l.status !== 200) throw new Error(`${label}: detail ${d.status}, list ${l.status}`);
    const bare = await startBareServer(
      new Map([
        [`/api/v4/packages/${detailId}/`, { body: d.body, contentType: d.contentType }],
        ['/api/v4/packages/', { body: l.body, contentType: l.contentType }],
      ]),
    );
    try {
      const opts = { duration: DURATION, connections: CONNECTIONS };
      // The machine is shared: interleave bare and packgrid runs and combine the rounds, so drift hits both sides.
      const rounds: Figures[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const bareDetail = await runLoad(`${bare.url}/api/v4/packages/${detailId}/`, opts);
        const detail = await runLoad(detailUrl, opts);
        const bareList = await runLoad(`${bare.url}/api/v4/packages/`, opts);
        const list = await runLoad(listUrl, opts);
        rounds.push({ detail, list, bareDetail, bareList });
      }
      const { detail, list, bareDetail, bareList } = combine(rounds);
      for (const [name, r] of Object.entries({ detail, list })) {
        if (r.non2xx > 0 || r.errors > 0) console.warn(`${label} ${name}: ${r.non2xx} non-2xx, ${r.errors} errors`);
      }
      console.log(`\n${label}  (detail ${d.body.length} bytes, list ${l.body.length} bytes)`);
      const row = (n: string, r: LoadResult) =>
        console.log(
          `  ${n.padEnd(14)} ${String(r.requests_per_sec).padStart(7)} req/s   p50 ${String(r.p50_ms).padStart(4)} ms   p99 ${String(r.p99_ms).padStart(4)} ms`,
        );
      row('bare detail', bareDetail);
      row('packgrid detail', detail);
      row('bare list', bareList);
      row('packgrid list', list);
      return { detail, list, bareDetail, bareList };
    } finally {
      await bare.close();
    }
  } finally {
    await server.stop();
  }
}

function avg(rs: LoadResult[]): LoadResult {
  const mean = (f: (r: LoadResult) => number) => Math.round((rs.reduce((s, r) => s + f(r), 0) / rs.length) * 100) / 100;
  const first = rs[0];
  if (!first) throw new Error('no runs');
  return {
    url: first.url,
    requests_per_sec: Math.round(mean((r) => r.requests_per_sec)),
    p50_ms: mean((r) => r.p50_ms),
    p99_ms: mean((r) => r.p99_ms),
    non2xx: rs.reduce((s, r) => s + r.non2xx, 0),
    errors: rs.reduce((s, r) => s + r.errors, 0),
  };
}

function combine(rounds: Figures[]): Figures {
  return {
    detail: avg(rounds.map((r) => r.detail)),
    list: avg(rounds.map((r) => r.list)),
    bareDetail: avg(rounds.map((r) => r.bareDetail)),
    bareList: avg(rounds.map((r) => r.bareList)),
  };
}

const ratio = (a: LoadResult, b: LoadResult): number => Math.round((a.requests_per_sec / b.requests_per_sec) * 1000) / 1000;

async function main(): Promise<void> {
  // PGlite: a fresh data dir, populated here, then served by the child process (the lock is released on close).
  const dir = mkdtempSync(path.join(tmpdir(), 'packgrid-bench-api-'));
  let pglite: Figures;
  try {
    const h = await openDatabase({ dataDir: dir });
    const pgliteId = await populate(h.db);
    await h.close();
    pglite = await measure('PGlite', { DATA_DIR: dir }, pgliteId, 18411);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // PostgreSQL: a fresh bench_api database next to the test one.
  const admin = await openDatabase({ databaseUrl: ADMIN_URL, poolSize: 1 });
  await sql`DROP DATABASE IF EXISTS bench_api`.execute(admin.db);
  await sql`CREATE DATABASE bench_api`.execute(admin.db);
  await admin.close();
  const url = new URL(ADMIN_URL);
  url.pathname = '/bench_api';
  const h = await openDatabase({ databaseUrl: url.toString(), poolSize: 2 });
  const pgId = await populate(h.db);
  await h.close();
  const pg = await measure('PostgreSQL', { DATABASE_URL: url.toString() }, pgId, 18412);

  const out = {
    detail_ratio_pglite: ratio(pglite.detail, pglite.bareDetail),
    list_ratio_pglite: ratio(pglite.list, pglite.bareList),
    detail_ratio_pg: ratio(pg.detail, pg.bareDetail),
    list_ratio_pg: ratio(pg.list, pg.bareList),
    detail_rps_pglite: pglite.detail.requests_per_sec,
    list_rps_pglite: pglite.list.requests_per_sec,
    detail_rps_pg: pg.detail.requests_per_sec,
    list_rps_pg: pg.list.requests_per_sec,
    bare_detail_rps: pglite.bareDetail.requests_per_sec,
    bare_list_rps: pglite.bareList.requests_per_sec,
    packages: EXTRA,
  };
  console.log('');
  console.log(JSON.stringify(out));
}

await main();
