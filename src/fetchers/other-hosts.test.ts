import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeFetchers, fakeHttpClient } from '../../test/fake-upstream/clients.js';
import { startFakeUpstream } from '../../test/fake-upstream/server.js';
import type { FakeUpstream } from '../../test/fake-upstream/server.js';
import type { RepoRef, RepoResult } from './fetcher.js';
import { bucketCommits, shiftWeeks, weekNumber } from './weeks.js';

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

const NOW = new Date('2026-03-11T12:00:00Z'); // a Wednesday
const registry = () => fakeFetchers(fake, fakeHttpClient(fake), { now: () => NOW });
const ref = (repoUrl: string, repoHost = '', state: RepoRef['state'] = {}): RepoRef => ({ packageId: 1, repoUrl, repoHost, state });
async function fetchOne(r: RepoRef): Promise<RepoResult | undefined> {
  return (await registry().fetchAll([r])).get(1);
}
const daysAgo = (d: number): string => new Date(NOW.getTime() - d * 86_400_000).toISOString();

describe('gitlab', () => {
  it('reads the recorded nested-group project', async () => {
    const r = await fetchOne(ref('https://gitlab.com/lansharkconsulting/django/django-encrypted-model-fields'));
    expect(r?.kind).toBe('ok');
    if (r?.kind !== 'ok') return;
    expect(r.metrics).toMatchObject({
      stars: 33,
      forks: 25,
      archived: false,
      lastCommitDate: '2022-07-12T09:28:12.000-04:00',
      commitCount: 92,
    });
    expect(r.metrics.description).toContain('wrap standard Django fields with encryption');
    expect(r.metrics.participants?.[0]).toBe('Pavel Žák');
    expect(r.metrics.participants?.filter((n) => n === 'Dana Spiegel')).toHaveLength(1);
    // Every recorded commit is older than 52 weeks before NOW.
    expect(r.metrics.commitsOver52).toEqual(new Array<number>(52).fill(0));
    // project, head, sequence, contributors, 5 recorded commit pages
    expect(fake.counts().byUpstream.gitlab).toBe(9);
    fake.resetCounts();
    const again = await fetchOne(ref('https://gitlab.com/lansharkconsulting/django/django-encrypted-model-fields', '', r.state));
    expect(again?.kind).toBe('unchanged');
    expect(fake.counts().byUpstream.gitlab).toBe(2);
  });

  it('reads the recorded archived project and the recorded 404', async () => {
    const a = await fetchOne(ref('https://gitlab.com/jeff.triplett/django-metadata'));
    expect(a?.kind === 'ok' && a.metrics.archived).toBe(true);
    expect(await fetchOne(ref('https://gitlab.com/jeff.triplett/does-not-exist'))).toEqual({ kind: 'not_found' });
  });

  it('supports self-hosted instances via repo_host with the base URL from the repo URL', async () => {
    fake.addGitlabProject('team/sub/tool', {
      stars: 5,
      forks: 1,
      commits: [
        { sha: 'c2', date: daysAgo(1) },
        { sha: 'c1', date: daysAgo(8) },
      ],
      contributors: ['Ann'],
    });
    const r = await fetchOne(ref(`${fake.url}/team/sub/tool`, 'gitlab'));
    expect(r?.kind === 'ok' && r.metrics).toMatchObject({ stars: 5, commitCount: 2, participants: ['Ann'] });
    expect(r?.kind === 'ok' && r.metrics.commitsOver52?.slice(50)).toEqual([1, 1]);
  });

  it('maps faults without metrics', async () => {
    fake.fault('/gitlab/api/v4/projects', '500');
    expect((await fetchOne(ref('https://gitlab.com/jeff.triplett/django-metadata')))?.kind).toBe('error');
    fake.clearFaults();
    fake.fault('/gitlab/api/v4/projects', '429');
    expect((await fetchOne(ref('https://gitlab.com/jeff.triplett/django-metadata')))?.kind).toBe('rate_limited');
  });
});

describe('bitbucket', () => {
  it('uses the real totals (size) for the recorded repo instead of the first page', async () => {
    const r = await fetchOne(ref('https://bitbucket.org/Manfre/django-mssql'));
    expect(r?.kind).toBe('ok');
    if (r?.kind !== 'ok') return;
    expect(r.metrics).toMatchObject({
      forks: 37,
      stars: 16,
      lastCommitDate: '2018-08-22T18:50:22+00:00',
      commitCount: 30,
      participants: ['Manfre'],
    });
    expect(r.metrics.description).toContain('Microsoft SQL server backend for Django');
  });

  it('pages commits for the count and histogram of a generated repo', async () => {
    const commits = Array.from({ length: 250 }, (_, i) => ({ sha: `s${i}`, date: daysAgo(i) }));
    fake.addBitbucketRepo('ws/big', { stars: 3, forks: 2, commits });
    const r = await fetchOne(ref('https://bitbucket.org/ws/big'));
    expect(r?.kind === 'ok' && r.metrics.commitCount).toBe(250);
    expect(r?.kind === 'ok' && r.metrics.commitsOver52?.reduce((a, b) => a + b, 0)).toBe(250);
  });

  it('reports a missing repo and faults', async () => {
    expect(await fetchOne(ref('https://bitbucket.org/nobody/nothing'))).toEqual({ kind: 'not_found' });
    fake.fault('/bitbucket/2.0/repositories/Manfre/django-mssql/forks', 'reset');
    expect((await fetchOne(ref('https://bitbucket.org/Manfre/django-mssql')))?.kind).toBe('error');
  });
});

describe('forgejo / codeberg (synthetic answers)', () => {
  it('reads stars_count, X-Total-Count and the since histogram on codeberg', async () => {
    fake.addForgejoRepo('owner/repo', {
      stars: 12,
      forks: 3,
      description: 'd',
      commits: [
        { sha: 'b', date: daysAgo(0) },
        { sha: 'a', date: daysAgo(400) },
      ],
    });
    const r = await fetchOne(ref('https://codeberg.org/owner/repo'));
    expect(r?.kind === 'ok' && r.metrics).toMatchObject({ stars: 12, forks: 3, commitCount: 2, participants: null });
    expect(r?.kind === 'ok' && r.metrics.commitsOver52?.[51]).toBe(1);
    if (r?.kind !== 'ok') return;
    fake.resetCounts();
    expect((await fetchOne(ref('https://codeberg.org/owner/repo', '', r.state)))?.kind).toBe('unchanged');
    expect(fake.counts().byUpstream.codeberg).toBe(2);
  });

  it('needs repo_host=forgejo for other instances', async () => {
    fake.addForgejoRepo('me/tool', { stars: 1, commits: [{ sha: 'x', date: daysAgo(3) }] });
    expect(await fetchOne(ref(`${fake.url}/me/tool`))).toEqual({ kind: 'unsupported' });
    expect((await fetchOne(ref(`${fake.url}/me/tool`, 'forgejo')))?.kind).toBe('ok');
  });

  it('reports 404 and faults', async () => {
    expect(await fetchOne(ref('https://codeberg.org/no/such'))).toEqual({ kind: 'not_found' });
    fake.fault('/codeberg/api/v1/repos/owner/repo', 'malformed');
    expect((await fetchOne(ref('https://codeberg.org/owner/repo')))?.kind).toBe('error');
  });
});

describe('weekly histogram', () => {
  it('buckets by Monday-based weeks, index 51 = current week', () => {
    const monday = '2026-03-09T00:00:00Z';
    const sunday = '2026-03-08T23:59:59Z';
    const w = bucketCommits([monday, sunday, '2025-01-01T00:00:00Z'], NOW);
    expect(w[51]).toBe(1);
    expect(w[50]).toBe(1);
    expect(w.reduce((a, b) => a + b, 0)).toBe(2);
  });
  it('shifts stored weeks left by the weeks elapsed', () => {
    const weeks = Array.from({ length: 52 }, (_, i) => i);
    const shifted = shiftWeeks(weeks, weekNumber(NOW) - 2, NOW);
    expect(shifted.slice(0, 2)).toEqual([2, 3]);
    expect(shifted.slice(50)).toEqual([0, 0]);
  });
});
