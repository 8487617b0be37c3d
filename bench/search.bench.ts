/**
 * bench:search — search latency over 100,000 generated packages plus the real demo data, on PGlite and PostgreSQL.
 * 1,000 queries drawn from package words, typos and prefixes, run in BENCH_ROUNDS rounds (default 3); each figure is
 * the median over the rounds of that round's p50/p99, since the machine is shared and one noisy round says little.
 * The baseline, measured in the same run on the same data, is the legacy search (icontains on title/slug/description,
 * ordered by weight).
 * Last line: {"p99_ms_pg":…,"p99_ms_pglite":…,…}.
 */
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle, type Db } from '../src/db/index.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedDemoData } from '../src/interchange/demo-seed.js';
import { rebuildSearchIndex, search } from '../src/search/search.service.js';

const GENERATED = Number(process.env.BENCH_PACKAGES ?? 100_000);
const QUERIES = 1000;
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const BASELINE_QUERIES = 60;
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = process.env.BENCH_SCHEMA ?? 'bench_search';

type Kind = 'word' | 'two_words' | 'typo' | 'prefix';
interface BenchQuery {
  kind: Kind;
  q: string;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? 0;
}

const round = (n: number): number => Math.round(n * 100) / 100;
const median = (xs: number[]): number => pct(xs, 50);

/** 100k packages in three statements: a vocabulary from the real descriptions, then INSERT ... SELECT generate_series. */
async function generate(db: Db, n: number): Promise<void> {
  await sql`SELECT setseed(0.42)`.execute(db);
  await sql`CREATE TEMP TABLE bench_vocab AS
    SELECT row_number() OVER (ORDER BY w) AS i, w FROM (
      SELECT DISTINCT w FROM packages, regexp_split_to_table(lower(title || ' ' || repo_description), '[^a-z]+') AS w
      WHERE length(w) BETWEEN 4 AND 14 AND w <> 'django') v`.execute(db);
  await sql`
    INSERT INTO packages (title, slug, category_id, repo_description, repo_url, repo_watchers, repo_forks, pypi_downloads,
      supports_python3, participants, last_commit_date, usage_count)
    SELECT 'django-' || a.w || '-' || b.w || '-' || g, 'django-' || a.w || '-' || b.w || '-' || g, 1 + g % 4,
      (SELECT string_agg(v.w, ' ') FROM bench_vocab v WHERE v.i IN (
         SELECT 1 + ((g * 7919 + k * 104729) % (SELECT count(*) FROM bench_vocab)) FROM generate_series(1, 9) k)),
      'https://github.com/bench/pkg-' || g, (g * 37) % 3000, (g * 11) % 200, (g * 101) % 60000, g % 3 <> 0,
      ARRAY['dev' || (g % 5000)], now() - ((g % 2000) || ' days')::interval, g % 25
    FROM generate_series(1, ${n}) g
    JOIN bench_vocab a ON a.i = 1 + (g * 31) % (SELECT count(*) FROM bench_vocab)
    JOIN bench_vocab b ON b.i = 1 + (g * 57 + 3) % (SELECT count(*) FROM bench_vocab)`.execute(db);
  await sql`ANALYZE`.execute(db);
}

function typo(word: string, r: () => number): string {
  if (word.length < 5) return word + 'x';
  const i = 1 + Math.floor(r() * (word.length - 2));
  const op = Math.floor(r() * 3);
  if (op === 0) return word.slice(0, i) + word.slice(i + 1); // drop
  if (op === 1) return word.slice(0, i) + (word[i + 1] ?? '') + (word[i] ?? '') + word.slice(i + 2); // swap
  return word.slice(0, i) + 'e' + word.slice(i + 1); // replace
}

async function drawQueries(db: Db): Promise<BenchQuery[]> {
  const rows = await sql<{ title: string; repo_description: string }>`
    SELECT title, repo_description FROM packages WHERE id % 97 = 0 ORDER BY id LIMIT 2000`.execute(db);
  const r = rng(7);
  const kinds: Kind[] = ['word', 'two_words', 'typo', 'prefix'];
  const out: BenchQuery[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const row = rows.rows[Math.floor(r() * rows.rows.length)];
    if (!row) break;
    const words = `${row.title} ${row.repo_description}`
      .toLowerCase()
      .split(/[^a-z]+/)
      .filter((w) => w.length >= 4 && w !== 'django');
    const w = words[Math.floor(r() * words.length)] ?? 'cache';
    const w2 = words[Math.floor(r() * words.length)] ?? 'admin';
    const kind = kinds[i % kinds.length] ?? 'word';
    const name = row.title.toLowerCase();
    const q =
      kind === 'word'
        ? w
        : kind === 'two_words'
          ? `${w} ${w2}`
          : kind === 'typo'
            ? r() < 0.5
              ? typo(name, r)
              : typo(w, r)
            : w.slice(0, 3 + Math.floor(r() * 3));
    out.push({ kind, q });
  }
  return out;
}

async function legacySearch(db: Db, q: string): Promise<number> {
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const r = await sql<{ id: number }>`
    SELECT id FROM packages WHERE title ILIKE ${like} OR slug ILIKE ${like} OR repo_description ILIKE ${like}
    ORDER BY search_weight DESC, id LIMIT 20`.execute(db);
  return r.rows.length;
}

interface Figures {
  setup_s: number;
  index_s: number;
  per_kind: Record<string, { p50_ms: number; p99_ms: number }>;
  p50_ms: number;
  p99_ms: number;
  p99_ms_rounds: number[];
  corrected: number;
  baseline_p50_ms: number;
  speedup_p50: number;
  empty_results: number;
}

async function measure(label: string, handle: DatabaseHandle): Promise<Figures> {
  const db = handle.db;
  const t0 = performance.now();
  await migrateToLatest(db);
  await seedDemoData(db, 'America/New_York');
  await generate(db, GENERATED);
  const t1 = performance.now();
  const counts = await rebuildSearchIndex(db);
  await sql`ANALYZE search_documents`.execute(db);
  const t2 = performance.now();
  console.log(
    `[${label}] ${counts.packages} packages, ${counts.grids} grids; setup ${((t1 - t0) / 1000).toFixed(1)} s, index ${((t2 - t1) / 1000).toFixed(1)} s`,
  );

  const queries = await drawQueries(db);
  for (const q of queries.slice(0, 30)) await search(db, q.q, { limit: 20 }); // warm-up
  // rounds[r] holds that round's timings by kind.
  const rounds: Map<Kind, number[]>[] = [];
  let empty = 0;
  let corrected = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const times = new Map<Kind, number[]>();
    for (const q of queries) {
      const s = performance.now();
      const page = await search(db, q.q, { limit: 20 });
      const ms = performance.now() - s;
      if (r === 0 && page.hits.length === 0) empty++;
      if (r === 0 && page.corrected !== null) corrected++;
      const list = times.get(q.kind) ?? [];
      list.push(ms);
      times.set(q.kind, list);
    }
    rounds.push(times);
    const all = [...times.values()].flat();
    console.log(`[${label}] round ${r + 1}: p50 ${round(pct(all, 50))} ms  p99 ${round(pct(all, 99))} ms`);
  }
  const base: number[] = [];
  for (const q of queries.slice(0, BASELINE_QUERIES)) {
    const s = performance.now();
    await legacySearch(db, q.q);
    base.push(performance.now() - s);
  }
  const roundAll = rounds.map((t) => [...t.values()].flat());
  const perKind: Figures['per_kind'] = {};
  for (const k of rounds[0]?.keys() ?? []) {
    const xs = rounds.map((t) => t.get(k) ?? []);
    perKind[k] = { p50_ms: round(median(xs.map((x) => pct(x, 50)))), p99_ms: round(median(xs.map((x) => pct(x, 99)))) };
  }
  const p50 = median(roundAll.map((x) => pct(x, 50)));
  const f: Figures = {
    setup_s: round((t1 - t0) / 1000),
    index_s: round((t2 - t1) / 1000),
    per_kind: perKind,
    p50_ms: round(p50),
    p99_ms: round(median(roundAll.map((x) => pct(x, 99)))),
    p99_ms_rounds: roundAll.map((x) => round(pct(x, 99))),
    corrected,
    baseline_p50_ms: round(pct(base, 50)),
    speedup_p50: round(pct(base, 50) / Math.max(0.001, p50)),
    empty_results: empty,
  };
  for (const [k, v] of Object.entries(perKind))
    console.log(`[${label}] ${k.padEnd(10)} p50 ${v.p50_ms.toFixed(2)} ms  p99 ${v.p99_ms.toFixed(2)} ms`);
  console.log(
    `[${label}] all        p50 ${f.p50_ms} ms  p99 ${f.p99_ms} ms (median of ${ROUNDS} rounds); legacy icontains baseline p50 ${f.baseline_p50_ms} ms (x${f.speedup_p50}); ${empty} of ${queries.length} queries found nothing, ${corrected} were spell-corrected`,
  );
  return f;
}

async function onPg(): Promise<Figures | null> {
  const admin = await openDatabase({ databaseUrl: PG_URL, poolSize: 1 }).catch(() => null);
  if (!admin) return null;
  try {
    await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(admin.db);
    await sql`DROP SCHEMA IF EXISTS ${sql.id(SCHEMA)} CASCADE`.execute(admin.db);
    await sql`CREATE SCHEMA ${sql.id(SCHEMA)}`.execute(admin.db);
  } catch (e) {
    console.log(`PostgreSQL unavailable (${(e as Error).message}); skipped`);
    await admin.close();
    return null;
  }
  const h = await openDatabase({ databaseUrl: PG_URL, schema: SCHEMA, poolSize: 2 });
  try {
    return await measure('pg', h);
  } finally {
    await h.close();
    if (!process.env.BENCH_KEEP) await sql`DROP SCHEMA IF EXISTS ${sql.id(SCHEMA)} CASCADE`.execute(admin.db);
    await admin.close();
  }
}

async function onPglite(): Promise<Figures> {
  const h = await openDatabase({});
  try {
    return await measure('pglite', h);
  } finally {
    await h.close();
  }
}

const pg = await onPg();
if (process.env.BENCH_PG_ONLY) process.exit(0);
const pglite = await onPglite();
console.log(
  JSON.stringify({
    p99_ms_pg: pg?.p99_ms ?? null,
    p99_ms_pglite: pglite.p99_ms,
    p50_ms_pg: pg?.p50_ms ?? null,
    p50_ms_pglite: pglite.p50_ms,
    baseline_p50_ms_pg: pg?.baseline_p50_ms ?? null,
    baseline_p50_ms_pglite: pglite.baseline_p50_ms,
    per_kind_pg: pg?.per_kind ?? null,
    per_kind_pglite: pglite.per_kind,
    p99_ms_rounds_pg: pg?.p99_ms_rounds ?? null,
    p99_ms_rounds_pglite: pglite.p99_ms_rounds,
    empty_results_pg: pg?.empty_results ?? null,
    corrected_pg: pg?.corrected ?? null,
    rounds: ROUNDS,
    packages: GENERATED,
    queries: QUERIES,
  }),
);
