// npm run bench:fetch — 5,000 packages (4,000 GitHub, 1,000 over GitLab/Bitbucket/Codeberg, all on PyPI) refreshed
// against the local fake upstream (generated repos) on a fresh in-memory PGlite: a first fetch, then a refresh where
// nothing changed. Prints wall time and upstream requests per package per host per pass; the baseline is the first
// pass of the same run (and the original's documented >= 4 GitHub requests per package per day).
import { sql } from 'kysely';
import { openDatabase } from '../src/db/index.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { refreshIds } from '../src/jobs/refresh-packages.job.js';
import { startFakeUpstream } from '../test/fake-upstream/server.js';
import { addPypiCopy, ensureCategory, fakeRefreshDeps } from '../test/refresh-helpers.js';

const GITHUB = 4000;
const OTHERS = 1000;
const N = GITHUB + OTHERS;

const fake = await startFakeUpstream();
const handle = await openDatabase({});
await migrateToLatest(handle.db);
const category = await ensureCategory(handle.db);
const day = 86_400_000;
const recent = (d: number): string => new Date(Date.now() - d * day).toISOString().replace(/\.\d+Z$/, 'Z');
const rows: { title: string; slug: string; category_id: number; repo_url: string; pypi_url: string }[] = [];
for (let i = 0; i < N; i++) {
  let repoUrl: string;
  if (i < GITHUB) {
    fake.addGithubRepo('bench', `gh${i}`, {
      stars: i % 500,
      forks: i % 50,
      contributors: ['a', 'b'],
      participation: Array.from({ length: 52 }, (_, w) => (w + i) % 3),
    });
    repoUrl = `https://github.com/bench/gh${i}`;
  } else {
    const opts = {
      stars: i % 40,
      forks: 1,
      commits: [
        { sha: `s${i}b`, date: recent(1) },
        { sha: `s${i}a`, date: recent(20) },
      ],
      contributors: ['x'],
    };
    const k = i % 3;
    if (k === 0) fake.addGitlabProject(`bench/gl${i}`, opts);
    else if (k === 1) fake.addBitbucketRepo(`bench/bb${i}`, opts);
    else fake.addForgejoRepo(`bench/cb${i}`, opts);
    repoUrl =
      k === 0 ? `https://gitlab.com/bench/gl${i}` : k === 1 ? `https://bitbucket.org/bench/bb${i}` : `https://codeberg.org/bench/cb${i}`;
  }
  addPypiCopy(fake, `bench-p${i}`);
  rows.push({
    title: `p${i}`,
    slug: `bench-p${i}`,
    category_id: category,
    repo_url: repoUrl,
    pypi_url: `https://pypi.org/project/bench-p${i}/`,
  });
}
for (let i = 0; i < rows.length; i += 1000)
  await handle.db
    .insertInto('packages')
    .values(rows.slice(i, i + 1000))
    .execute();
const ids = (await handle.db.selectFrom('packages').select('id').orderBy('id').execute()).map((r) => r.id);
const hostCounts = { github: GITHUB, gitlab: 0, bitbucket: 0, codeberg: 0, pypi: N };
for (let i = GITHUB; i < N; i++) {
  const k = i % 3;
  if (k === 0) hostCounts.gitlab++;
  else if (k === 1) hostCounts.bitbucket++;
  else hostCounts.codeberg++;
}

interface Pass {
  seconds: number;
  stats: Awaited<ReturnType<typeof refreshIds>>;
  perPackage: Record<string, number>;
}

async function pass(label: string, nowMs: number): Promise<Pass> {
  fake.resetCounts();
  const now = (): string => new Date(nowMs).toISOString();
  const deps = fakeRefreshDeps(fake, handle.db, now, {}, { timeoutMs: 30_000 });
  const started = performance.now();
  const stats = await refreshIds(deps, ids);
  const seconds = (performance.now() - started) / 1000;
  const by = fake.counts().byUpstream;
  const perPackage: Record<string, number> = {};
  for (const [host, n] of Object.entries(hostCounts)) perPackage[host] = n === 0 ? 0 : (by[host] ?? 0) / n;
  console.log(
    `${label}: ${seconds.toFixed(1)}s wall, ${stats.fetched} fetched, ${stats.unchanged} unchanged, ${stats.failed} failed ${JSON.stringify(stats.failures)}`,
  );
  console.log(`  requests by upstream: ${JSON.stringify(by)}`);
  console.log(
    `  requests per package: ${Object.entries(perPackage)
      .map(([h, v]) => `${h} ${v.toFixed(3)}`)
      .join(', ')}`,
  );
  return { seconds, stats, perPackage };
}

console.log(`bench:fetch — ${N} packages (${JSON.stringify(hostCounts)}) on a fresh in-memory PGlite`);
const first = await pass('pass 1 (first fetch)', Date.now());
const second = await pass('pass 2 (unchanged refresh, 25 h later)', Date.now() + 25 * 3_600_000);
const snapshots = await sql<{ n: number }>`SELECT count(*)::int AS n FROM package_snapshots`.execute(handle.db);
const versions = await sql<{ n: number }>`SELECT count(*)::int AS n FROM versions`.execute(handle.db);
console.log(`rows: ${snapshots.rows[0]?.n ?? 0} snapshots, ${versions.rows[0]?.n ?? 0} versions`);
const gFirst = first.perPackage.github ?? 0;
const gSecond = second.perPackage.github ?? 0;
console.log(
  `GitHub requests per package: first ${gFirst.toFixed(3)} (target <= 2.5), unchanged ${gSecond.toFixed(4)} (target <= 0.05; original >= 4 per day, ${(4 / Math.max(gSecond, 1e-9)).toFixed(0)}x fewer)`,
);
console.log(`unchanged vs first pass: ${(second.seconds / first.seconds).toFixed(2)}x the wall time`);
await handle.close();
await fake.close();
console.log(
  JSON.stringify({
    github_requests_per_package_first: round(gFirst),
    github_requests_per_package_unchanged: round(gSecond),
    pypi_requests_per_package_first: round(first.perPackage.pypi ?? 0),
    pypi_requests_per_package_unchanged: round(second.perPackage.pypi ?? 0),
    gitlab_requests_per_package_first: round(first.perPackage.gitlab ?? 0),
    gitlab_requests_per_package_unchanged: round(second.perPackage.gitlab ?? 0),
    bitbucket_requests_per_package_first: round(first.perPackage.bitbucket ?? 0),
    bitbucket_requests_per_package_unchanged: round(second.perPackage.bitbucket ?? 0),
    codeberg_requests_per_package_first: round(first.perPackage.codeberg ?? 0),
    codeberg_requests_per_package_unchanged: round(second.perPackage.codeberg ?? 0),
    first_pass_seconds: round(first.seconds),
    unchanged_pass_seconds: round(second.seconds),
    failed_first: first.stats.failed,
    failed_unchanged: second.stats.failed,
    packages: N,
  }),
);

function round(v: number): number {
  return Math.round(v * 10000) / 10000;
}
