import { FAULT_TIMEOUT_MS } from '../../test/fake-upstream/clients.js';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { describeEachDb } from '../../test/db.js';
import { startFakeUpstream, type Fault, type FakeUpstream } from '../../test/fake-upstream/server.js';
import { addPypiCopy, fakeRefreshDeps, insertPackage } from '../../test/refresh-helpers.js';
import type { Db } from '../db/index.js';
import { createDbRefreshRequester } from '../packages/refresh-request.js';
import { refreshIds, refreshTick, spreadLimit } from './refresh-packages.job.js';

let fake: FakeUpstream;
beforeAll(async () => {
  fake = await startFakeUpstream();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.clearFaults();
  fake.resetCounts();
});

const HOUR = 3_600_000;
const at = (base: string, hours: number): string => new Date(Date.parse(base) + hours * HOUR).toISOString();
// Real time, so the HTTP client's Retry-After pauses (real clock) and the job's clock agree.
const T0 = new Date().toISOString();

const METRIC_COLUMNS = [
  'repo_watchers',
  'repo_forks',
  'repo_description',
  'commit_count',
  'commits_over_52',
  'participants',
  'last_commit_date',
  'repo_url',
  'latest_version_id',
  'pypi_license',
  'supports_python3',
  'documentation_url',
  'last_fetched',
] as const;

async function metrics(db: Db, id: number) {
  return db.selectFrom('packages').select(METRIC_COLUMNS).where('id', '=', id).executeTakeFirstOrThrow();
}
async function bookkeeping(db: Db, id: number) {
  return db
    .selectFrom('packages')
    .select([
      'last_error',
      'error_count',
      'last_error_at',
      'fetch_retry_at',
      'fetch_claimed_until',
      'repo_missing_count',
      'repo_missing_since',
      'date_deprecated',
      'pypi_error',
      'pypi_url',
      'score',
      'fetch_requested_at',
    ])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

describeEachDb('refresh job', (get) => {
  it('fetches a new package: metrics, release history, licence, docs URL, score and a snapshot', async () => {
    const { db } = get();
    fake.addGithubRepo('acme', 'first', {
      stars: 120,
      forks: 7,
      description: 'First',
      contributors: ['ann', 'bob'],
      committedDate: T0.replace(/\.\d+Z$/, 'Z'),
    });
    addPypiCopy(fake, 'acme-first');
    const id = await insertPackage(db, 'acme-first', 'https://github.com/acme/first', 'https://pypi.org/project/acme-first/');
    await createDbRefreshRequester(db).requestRefresh([id], 'created');
    const stats = await refreshTick(
      fakeRefreshDeps(fake, db, () => T0),
      { tickSeconds: 30 },
    );
    expect(stats).toMatchObject({ claimed: 1, fetched: 1, failed: 0 });
    const m = await metrics(db, id);
    expect(m).toMatchObject({
      repo_watchers: 120,
      repo_forks: 7,
      repo_description: 'First',
      participants: ['ann', 'bob'],
      pypi_license: 'MIT',
      supports_python3: true,
      documentation_url: 'https://docs.example.org/acme-first',
    });
    const versions = await db.selectFrom('versions').select(['id', 'number', 'upload_time']).where('package_id', '=', id).execute();
    expect(versions).toHaveLength(38);
    expect(versions.every((v) => v.upload_time !== null)).toBe(true);
    expect(versions.find((v) => v.id === m.latest_version_id)?.number).toBe('1.14.0');
    const b = await bookkeeping(db, id);
    expect(b).toMatchObject({ fetch_requested_at: null, fetch_claimed_until: null, error_count: 0, last_error: null });
    // 120 stars, fresh commit, Python 3: the score is the stars.
    expect(b.score).toBe(120);
    const snap = await db.selectFrom('package_snapshots').selectAll().where('package_id', '=', id).execute();
    expect(snap).toEqual([{ package_id: id, day: T0.slice(0, 10), stars: 120, forks: 7, commits: 10, downloads: 0, score: 120 }]);

    // An unchanged refresh a day later: one GraphQL batch share and a PyPI 304, nothing rewritten but last_fetched.
    fake.resetCounts();
    const again = await refreshIds(
      fakeRefreshDeps(fake, db, () => at(T0, 25)),
      [id],
    );
    expect(again).toMatchObject({ claimed: 1, unchanged: 1, fetched: 0 });
    expect(fake.counts().byUpstream).toEqual({ github: 1, pypi: 1 });
  });

  it('keeps an editor-set documentation URL', async () => {
    const { db } = get();
    fake.addGithubRepo('acme', 'docs');
    addPypiCopy(fake, 'acme-docs');
    const id = await insertPackage(db, 'acme-docs', 'https://github.com/acme/docs', 'acme-docs', {
      documentation_url: 'https://mine.example/',
    });
    await refreshIds(
      fakeRefreshDeps(fake, db, () => T0),
      [id],
    );
    expect((await metrics(db, id)).documentation_url).toBe('https://mine.example/');
  });

  const faults: [string, Fault][] = [
    ['/github-api/graphql', '500'],
    ['/github-api/graphql', 'timeout'],
    ['/github-api/graphql', 'reset'],
    ['/github-api/graphql', '429'],
    ['/github-api/graphql', '403-secondary'],
    ['/github-api/graphql', 'malformed'],
    ['/github-api/repos', '500'],
    ['/pypi/', '500'],
    ['/pypi/', 'malformed'],
    ['/pypi/', '429'],
  ];
  for (const [prefix, fault] of faults) {
    it(`keeps stored data on ${fault} from ${prefix} and retries later`, async () => {
      const { db } = get();
      const name = `f-${fault}-${prefix.replace(/\W/g, '')}`;
      fake.addGithubRepo('faults', name, { stars: 50 });
      addPypiCopy(fake, name);
      const id = await insertPackage(db, name, `https://github.com/faults/${name}`, name);
      await refreshIds(
        fakeRefreshDeps(fake, db, () => T0),
        [id],
      );
      const before = await metrics(db, id);
      // Upstream moves on (on the failing side only), but the next fetch fails.
      const phase = prefix.startsWith('/pypi') ? 'pypi' : 'github';
      if (phase === 'github') {
        fake.pushGithub('faults', name);
        const repo = fake.github.get(`faults/${name}`.toLowerCase());
        if (repo) repo.stars = 99;
      } else {
        fake.addPypi(name, { info: { name, version: '9.9', classifiers: [], license: 'BSD' }, releases: { '9.9': [] }, urls: [] });
      }
      fake.fault(prefix, fault);
      const t1 = at(T0, 25);
      const failed = await refreshIds(
        fakeRefreshDeps(fake, db, () => t1, {}, fault === 'timeout' ? { timeoutMs: FAULT_TIMEOUT_MS } : {}),
        [id],
      );
      expect(failed.failed).toBe(1);
      expect(await metrics(db, id)).toEqual(before);
      const b = await bookkeeping(db, id);
      expect(b.last_error).toContain(phase);
      expect(b.last_error_at).not.toBeNull();
      expect(b.error_count).toBe(fault === '429' || fault === '403-secondary' ? 0 : 1);
      expect(Date.parse(b.fetch_retry_at ?? '')).toBeGreaterThan(Date.parse(t1));
      // Not retried before its retry time...
      await refreshTick(
        fakeRefreshDeps(fake, db, () => t1),
        { tickSeconds: 86_400 },
      );
      expect(await bookkeeping(db, id)).toEqual(b);
      // ...and retried after it, by an ordinary tick, once the upstream is healthy again.
      fake.clearFaults();
      await refreshTick(
        fakeRefreshDeps(fake, db, () => at(T0, 30)),
        { tickSeconds: 86_400 },
      );
      const healed = await metrics(db, id);
      if (phase === 'github') expect(healed.repo_watchers).toBe(99);
      else expect(healed.pypi_license).toBe('BSD');
      expect(await bookkeeping(db, id)).toMatchObject({ error_count: 0, last_error: null, fetch_retry_at: null });
    });
  }

  it('keeps the old histogram while GitHub computes statistics (202) and retries soon', async () => {
    const { db } = get();
    fake.addGithubRepo('acme', 'stats', { stars: 5 });
    const id = await insertPackage(db, 'acme-stats', 'https://github.com/acme/stats');
    await refreshIds(
      fakeRefreshDeps(fake, db, () => T0),
      [id],
    );
    const before = await metrics(db, id);
    fake.pushGithub('acme', 'stats');
    fake.fault('/github-api/repos/acme/stats/stats', '202');
    const t1 = at(T0, 25);
    const r = await refreshIds(
      fakeRefreshDeps(fake, db, () => t1),
      [id],
    );
    expect(r.fetched).toBe(1);
    const after = await metrics(db, id);
    expect(after.commits_over_52).toEqual(before.commits_over_52);
    expect(after.commit_count).toBe(before.commit_count + 1);
    const b = await bookkeeping(db, id);
    expect(Date.parse(b.fetch_retry_at ?? '')).toBeGreaterThan(Date.parse(t1));
    expect(Date.parse(b.fetch_retry_at ?? '') - Date.parse(t1)).toBeLessThan(HOUR);
    fake.clearFaults();
    await refreshTick(
      fakeRefreshDeps(fake, db, () => at(t1, 0.5)),
      { tickSeconds: 86_400 },
    );
    expect((await metrics(db, id)).commits_over_52.at(-1)).toBe(1);
  });

  it('follows a rename (301) and updates repo_url, unless another package has the new URL', async () => {
    const { db, kind } = get();
    // The fake is shared by both database runs, and a rename is permanent there: names are per run.
    const o = `old-${kind}`;
    const n = `new-${kind}`;
    fake.addGithubRepo(o, 'thing', { stars: 3 });
    fake.addGithubRepo(o, 'other', { stars: 4 });
    const a = await insertPackage(db, `thing-${kind}`, `https://github.com/${o}/thing`);
    const b = await insertPackage(db, `other-${kind}`, `https://github.com/${o}/other`);
    await insertPackage(db, `taken-${kind}`, `https://github.com/${n}/other-taken`);
    await refreshIds(
      fakeRefreshDeps(fake, db, () => T0),
      [a, b],
    );
    fake.renameGithub(o, 'thing', n, 'thing');
    fake.renameGithub(o, 'other', n, 'other-taken');
    const r = await refreshIds(
      fakeRefreshDeps(fake, db, () => at(T0, 25)),
      [a, b],
    );
    expect(r.renamed).toBe(1);
    expect((await metrics(db, a)).repo_url).toBe(`https://github.com/${n}/thing`);
    expect((await metrics(db, b)).repo_url).toBe(`https://github.com/${o}/other`);
    expect(r.failures['github:renamed_target_taken']).toBe(1);
  });

  it('marks a 404 repository missing, and deprecates only after 3 consecutive 404s over 48 hours', async () => {
    const { db } = get();
    fake.addGithubRepo('acme', 'vanishing', { stars: 30 });
    const id = await insertPackage(db, 'vanishing', 'https://github.com/acme/vanishing');
    await refreshIds(
      fakeRefreshDeps(fake, db, () => T0),
      [id],
    );
    const before = await metrics(db, id);
    fake.github.delete('acme/vanishing');
    for (const [i, hours] of [25, 40, 60].entries()) {
      await refreshIds(
        fakeRefreshDeps(fake, db, () => at(T0, hours)),
        [id],
      );
      const b = await bookkeeping(db, id);
      expect(b.repo_missing_count).toBe(i + 1);
      expect(b.date_deprecated).toBeNull();
      expect(await metrics(db, id)).toEqual(before);
    }
    await refreshIds(
      fakeRefreshDeps(fake, db, () => at(T0, 73)),
      [id],
    );
    const b = await bookkeeping(db, id);
    expect(b.repo_missing_count).toBe(4);
    expect(b.date_deprecated).not.toBeNull();
    // Deprecated packages leave the refresh.
    await refreshTick(
      fakeRefreshDeps(fake, db, () => at(T0, 200)),
      { tickSeconds: 86_400 },
    );
    expect(await bookkeeping(db, id)).toEqual(b);
  });

  it('a repository that comes back resets the missing count', async () => {
    const { db } = get();
    const repo = fake.addGithubRepo('acme', 'flaky', { stars: 1 });
    const id = await insertPackage(db, 'flaky', 'https://github.com/acme/flaky');
    fake.github.delete('acme/flaky');
    await refreshIds(
      fakeRefreshDeps(fake, db, () => T0),
      [id],
    );
    expect((await bookkeeping(db, id)).repo_missing_count).toBe(1);
    fake.github.set('acme/flaky', repo);
    await refreshIds(
      fakeRefreshDeps(fake, db, () => at(T0, 30)),
      [id],
    );
    expect(await bookkeeping(db, id)).toMatchObject({ repo_missing_count: 0, repo_missing_since: null, error_count: 0 });
  });

  it('records a PyPI 404 in pypi_error and keeps pypi_url', async () => {
    const { db } = get();
    fake.addGithubRepo('acme', 'nopypi', { stars: 2 });
    const id = await insertPackage(db, 'nopypi', 'https://github.com/acme/nopypi', 'https://pypi.org/project/no-such-project-xyz/');
    const r = await refreshIds(
      fakeRefreshDeps(fake, db, () => T0),
      [id],
    );
    expect(r.failures['pypi:not_found']).toBe(1);
    const b = await bookkeeping(db, id);
    expect(b.pypi_error).toContain('not found (404)');
    expect(b.pypi_url).toBe('https://pypi.org/project/no-such-project-xyz/');
  });

  it('spreads stale packages evenly over REFRESH_HOURS', () => {
    expect(spreadLimit(5000, 24, 30)).toBe(2);
    expect(spreadLimit(5000, 24, 3600)).toBe(209);
    expect(spreadLimit(0, 24, 30)).toBe(0);
  });
});
