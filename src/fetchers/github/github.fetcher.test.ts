import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAULT_TIMEOUT_MS, fakeFetchers, fakeHttpClient } from '../../../test/fake-upstream/clients.js';
import { startFakeUpstream } from '../../../test/fake-upstream/server.js';
import type { FakeUpstream } from '../../../test/fake-upstream/server.js';
import type { FetcherConfig, RepoRef, RepoResult } from '../fetcher.js';

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

function github(overrides: Partial<FetcherConfig> = {}, timeoutMs?: number) {
  const http = fakeHttpClient(fake, timeoutMs === undefined ? {} : { timeoutMs });
  return { http, fetcher: fakeFetchers(fake, http, overrides).fetchers.github };
}

const ref = (packageId: number, repoUrl: string, state: RepoRef['state'] = {}): RepoRef => ({ packageId, repoUrl, repoHost: '', state });

async function one(r: RepoRef, overrides: Partial<FetcherConfig> = {}): Promise<RepoResult | undefined> {
  return (await github(overrides).fetcher.fetchMany([r])).get(r.packageId);
}

describe('github fetcher (GraphQL + REST)', () => {
  it('reads the recorded django/deps values on a first fetch', async () => {
    const r = await one(ref(1, 'https://github.com/django/deps'));
    expect(r?.kind).toBe('ok');
    if (r?.kind !== 'ok') return;
    expect(r.metrics.stars).toBe(401);
    expect(r.metrics.forks).toBe(85);
    expect(r.metrics.description).toBe('Django Enhancement Proposals');
    expect(r.metrics.archived).toBe(false);
    expect(r.metrics.lastCommitDate).toBe('2023-12-19T21:59:33Z');
    expect(r.metrics.participants?.slice(0, 3)).toEqual(['carljm', 'jacobian', 'aaugustin']);
    expect(r.metrics.participants).toHaveLength(31);
    expect(r.metrics.commitsOver52).toHaveLength(52);
    expect(r.metrics.commitsOver52?.slice(48)).toEqual([5, 36, 16, 2]);
    expect(r.renamedTo).toBeUndefined();
    // One GraphQL batch + participation + contributors.
    expect(fake.counts().byUpstream.github).toBe(3);
  });

  it('answers unchanged with only the GraphQL batch when nothing moved, and refetches stats after a push', async () => {
    const { fetcher } = github();
    const first = (await fetcher.fetchMany([ref(1, 'https://github.com/django/deps')])).get(1);
    if (first?.kind !== 'ok') throw new Error('first fetch failed');
    fake.resetCounts();
    const second = (await fetcher.fetchMany([ref(1, 'https://github.com/django/deps', first.state)])).get(1);
    expect(second?.kind).toBe('unchanged');
    expect(fake.counts().byPath).toEqual({ '/github-api/graphql': 1 });

    fake.addGithubRepo('acme', 'pushed', { stars: 3 });
    const a = (await fetcher.fetchMany([ref(2, 'https://github.com/acme/pushed')])).get(2);
    if (a?.kind !== 'ok') throw new Error('fetch failed');
    fake.pushGithub('acme', 'pushed');
    fake.resetCounts();
    const b = (await fetcher.fetchMany([ref(2, 'https://github.com/acme/pushed', a.state)])).get(2);
    expect(b?.kind).toBe('ok');
    if (b?.kind !== 'ok') return;
    expect(b.metrics.commitCount).toBe(11);
    expect(b.metrics.commitsOver52?.[51]).toBe(1);
    expect(fake.counts().byUpstream.github).toBe(3);
  });

  it('batches 100 repos: first fetch ≤ 2.5 requests/repo, unchanged refresh ≤ 0.05', async () => {
    const refs: RepoRef[] = [];
    for (let i = 0; i < 100; i++) {
      fake.addGithubRepo('bench', `repo-${i}`, { stars: i });
      refs.push(ref(1000 + i, `https://github.com/bench/repo-${i}`));
    }
    const { fetcher, http } = github();
    const first = await fetcher.fetchMany(refs);
    const firstCount = fake.counts().byUpstream.github ?? 0;
    expect([...first.values()].every((r) => r.kind === 'ok')).toBe(true);
    expect(firstCount).toBe(2 + 200);
    expect(firstCount / 100).toBeLessThanOrEqual(2.5);
    expect(http.requestCounts().byKey['github-graphql']).toBe(2);
    fake.resetCounts();
    const again = refs.map((r) => {
      const res = first.get(r.packageId);
      return res?.kind === 'ok' ? { ...r, state: res.state } : r;
    });
    const second = await fetcher.fetchMany(again);
    expect([...second.values()].every((r) => r.kind === 'unchanged')).toBe(true);
    expect((fake.counts().byUpstream.github ?? 0) / 100).toBeLessThanOrEqual(0.05);
  });

  it('reports a missing repo as not_found', async () => {
    const r = await one(ref(1, 'https://github.com/djangopackages/does-not-exist'));
    expect(r).toEqual({ kind: 'not_found' });
    const rest = await one(ref(1, 'https://github.com/djangopackages/does-not-exist'), { githubToken: undefined });
    expect(rest).toEqual({ kind: 'not_found' });
  });

  it('reads the recorded archived repo', async () => {
    const r = await one(ref(1, 'https://github.com/pydanny/dj-paginator'));
    expect(r?.kind === 'ok' && r.metrics).toMatchObject({
      stars: 36,
      forks: 4,
      archived: true,
      participants: ['audreyfeldroy', 'pydanny'],
    });
  });

  it('follows renames: GraphQL nameWithOwner and REST 301', async () => {
    fake.addGithubRepo('old-owner', 'thing', { stars: 7 });
    fake.renameGithub('old-owner', 'thing', 'new-owner', 'thing2');
    const viaGraphql = await one(ref(1, 'https://github.com/old-owner/thing'));
    expect(viaGraphql?.kind === 'ok' && viaGraphql.renamedTo).toBe('https://github.com/new-owner/thing2');
    const viaRest = await one(ref(1, 'https://github.com/old-owner/thing'), { githubToken: undefined });
    expect(viaRest?.kind === 'ok' && viaRest.renamedTo).toBe('https://github.com/new-owner/thing2');
    expect(viaRest?.kind === 'ok' && viaRest.metrics.stars).toBe(7);
  });

  it('keeps the old histogram on 202 and asks again next time', async () => {
    fake.addGithubRepo('acme', 'stats', { participation: new Array<number>(51).fill(0).concat([4]) });
    fake.fault('/github-api/repos/acme/stats/stats/participation', '202', 1);
    const { fetcher } = github();
    const a = (await fetcher.fetchMany([ref(1, 'https://github.com/acme/stats')])).get(1);
    expect(a?.kind).toBe('ok');
    if (a?.kind !== 'ok') return;
    expect(a.metrics.commitsOver52).toBeNull();
    expect(a.pending).toEqual(['commitsOver52']);
    const b = (await fetcher.fetchMany([ref(1, 'https://github.com/acme/stats', a.state)])).get(1);
    expect(b?.kind === 'ok' && b.metrics.commitsOver52?.[51]).toBe(4);
  });

  it('falls back to REST without a token and uses ETags on refresh', async () => {
    const a = await one(ref(1, 'https://github.com/django/deps'), { githubToken: undefined });
    expect(a?.kind === 'ok' && a.metrics).toMatchObject({
      stars: 401,
      forks: 85,
      commitCount: 250,
      lastCommitDate: '2023-12-19T21:59:33Z',
    });
    if (a?.kind !== 'ok') return;
    expect(fake.counts().byUpstream.github).toBe(4);
    fake.resetCounts();
    const b = await one(ref(1, 'https://github.com/django/deps', a.state), { githubToken: undefined });
    expect(b?.kind).toBe('unchanged');
    expect(fake.counts().byUpstream.github).toBe(2);
  });

  const faults = [
    ['500', 'error'],
    ['timeout', 'error'],
    ['reset', 'error'],
    ['malformed', 'error'],
    ['429', 'rate_limited'],
    ['403-secondary', 'rate_limited'],
  ] as const;
  for (const [fault, kind] of faults) {
    it(`turns a GraphQL ${fault} into ${kind} without metrics`, async () => {
      fake.fault('/github-api/graphql', fault);
      const { fetcher, http } = github({}, fault === 'timeout' ? FAULT_TIMEOUT_MS : undefined);
      const r = (await fetcher.fetchMany([ref(1, 'https://github.com/django/deps')])).get(1);
      expect(r?.kind).toBe(kind);
      expect(r !== undefined && 'metrics' in r).toBe(false);
      if (kind === 'rate_limited') expect(http.isPaused('github-graphql')).toBe(true);
      if (r?.kind === 'error') expect(r.retryable).toBe(true);
    });
  }

  it('turns a REST fault on contributors into a rate limit for that repo', async () => {
    fake.addGithubRepo('acme', 'limited');
    fake.fault('/github-api/repos/acme/limited/contributors', '429');
    const r = await one(ref(1, 'https://github.com/acme/limited'));
    expect(r?.kind).toBe('rate_limited');
  });

  it('reports a 404 on the REST repo endpoint as not_found', async () => {
    fake.fault('/github-api/repos/django/deps', '404', 1);
    const r = await one(ref(1, 'https://github.com/django/deps'), { githubToken: undefined });
    expect(r).toEqual({ kind: 'not_found' });
  });
});
