// GitHub: cheap fields for many repos per GraphQL query, then REST participation + contributors only for
// repos whose default branch moved since the last fetch, with ETags everywhere. Without a token (GraphQL
// needs auth) the cheap fields come from REST /repos + /commits?per_page=1, also with ETags.
import {
  asArray,
  asObject,
  bool,
  expectStatus,
  failureFrom,
  linkRel,
  mapLimit,
  NotFoundSignal,
  num,
  pageParam,
  str,
  strOrNull,
  uniqueInOrder,
} from '../common.js';
import type { FetchState, FetcherConfig, PendingField, RepoFetcher, RepoMetrics, RepoRef, RepoResult } from '../fetcher.js';
import type { HttpClient, HttpResponse } from '../http.js';
import { RateLimitedError } from '../http.js';
import { splitRepoUrl } from '../repo-url.js';
import { asWeeks, shiftWeeks, weekNumber } from '../weeks.js';
import { buildBatchQuery, DEFAULT_GITHUB_BATCH_SIZE, parseBatchAnswer } from './github.graphql.js';
import type { GithubCheap } from './github.graphql.js';

/** What the GitHub fetcher keeps between runs (stored by the caller as opaque JSON). */
export interface GithubState {
  sha?: string | null;
  cheap?: Omit<GithubCheap, 'sha'>;
  weeks?: number[];
  weeksAnchor?: number;
  participationPending?: boolean;
  contributorsPending?: boolean;
  etags?: { repo?: string; commits?: string; participation?: string; contributors?: string };
}

const REST_KEY = 'github';
const GRAPHQL_KEY = 'github-graphql';
// Contributors pages are capped: the first 500 logins in order are plenty for the participants list.
const MAX_CONTRIBUTOR_PAGES = 5;

function readState(state: FetchState): GithubState {
  const s: GithubState = {};
  if (typeof state.sha === 'string' || state.sha === null) s.sha = state.sha;
  const cheap = asObject(state.cheap);
  if (cheap !== null) {
    s.cheap = {
      stars: num(cheap, 'stars'),
      forks: num(cheap, 'forks'),
      description: str(cheap, 'description'),
      archived: bool(cheap, 'archived'),
      nameWithOwner: str(cheap, 'nameWithOwner'),
      committedDate: strOrNull(cheap, 'committedDate'),
      commitCount: typeof cheap.commitCount === 'number' ? cheap.commitCount : null,
    };
  }
  const weeks = asWeeks(state.weeks);
  if (weeks !== null && typeof state.weeksAnchor === 'number') {
    s.weeks = weeks;
    s.weeksAnchor = state.weeksAnchor;
  }
  if (state.participationPending === true) s.participationPending = true;
  if (state.contributorsPending === true) s.contributorsPending = true;
  const etags = asObject(state.etags);
  if (etags !== null) {
    s.etags = {};
    for (const k of ['repo', 'commits', 'participation', 'contributors'] as const) {
      const v = etags[k];
      if (typeof v === 'string') s.etags[k] = v;
    }
  }
  return s;
}

function sameCheap(a: Omit<GithubCheap, 'sha'> | undefined, b: GithubCheap): boolean {
  return (
    a !== undefined &&
    a.stars === b.stars &&
    a.forks === b.forks &&
    a.description === b.description &&
    a.archived === b.archived &&
    a.nameWithOwner.toLowerCase() === b.nameWithOwner.toLowerCase() &&
    a.committedDate === b.committedDate &&
    a.commitCount === b.commitCount
  );
}

interface Target {
  ref: RepoRef;
  owner: string;
  name: string;
  state: GithubState;
}

/** Creates the GitHub fetcher (GraphQL batches with a token, REST otherwise). */
export function createGithubFetcher(config: FetcherConfig): RepoFetcher {
  const http: HttpClient = config.http;
  const apiUrl = (config.githubApiUrl ?? 'https://api.github.com').replace(/\/+$/, '');
  const graphqlUrl = config.githubGraphqlUrl ?? `${apiUrl}/graphql`;
  const batchSize = Math.max(1, config.githubBatchSize ?? DEFAULT_GITHUB_BATCH_SIZE);
  const concurrency = config.concurrency ?? 8;
  const now = config.now ?? (() => new Date());
  const token = config.githubToken;

  const headers: Record<string, string> = { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' };
  if (token !== undefined && token !== '') headers.authorization = `Bearer ${token}`;

  function rest(path: string, etag?: string): Promise<HttpResponse> {
    return http.request(`${apiUrl}${path}`, { headers, etag, key: REST_KEY });
  }

  async function graphqlBatch(batch: readonly Target[]): Promise<Map<number, GithubCheap | RepoResult>> {
    const out = new Map<number, GithubCheap | RepoResult>();
    const { query, variables } = buildBatchQuery(batch);
    try {
      const res = await http.request(graphqlUrl, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
        key: GRAPHQL_KEY,
      });
      expectStatus(res, [200]);
      const answer = parseBatchAnswer(res.json(), batch.length);
      if (answer.rateLimited || (answer.remaining !== null && answer.remaining < 1 && answer.resetAt !== null)) {
        const resetAt = answer.resetAt ?? new Date(Date.now() + 60_000).toISOString();
        http.pause(GRAPHQL_KEY, resetAt);
        if (answer.rateLimited) {
          for (const t of batch) out.set(t.ref.packageId, { kind: 'rate_limited', resetAt });
          return out;
        }
      }
      batch.forEach((t, i) => {
        const e = answer.entries[i];
        if (e === undefined || e.kind === 'error')
          out.set(t.ref.packageId, { kind: 'error', reason: e?.reason ?? 'missing', retryable: true });
        else if (e.kind === 'not_found') out.set(t.ref.packageId, { kind: 'not_found' });
        else out.set(t.ref.packageId, e.cheap);
      });
    } catch (err) {
      // A whole batch fails together (network, 5xx, malformed): each repo is retried later, no data written.
      const failure = err instanceof NotFoundSignal ? failureFrom(new Error('GraphQL endpoint not found')) : failureFrom(err);
      for (const t of batch) out.set(t.ref.packageId, failure);
    }
    return out;
  }

  /** REST path for the cheap fields: /repos + /commits?per_page=1 (Link rel=last page = commit count). */
  async function restCheap(t: Target): Promise<{ cheap: GithubCheap; etags: GithubState['etags'] }> {
    const etags = { ...t.state.etags };
    const repo = await rest(`/repos/${t.owner}/${t.name}`, etags.repo);
    expectStatus(repo, [200, 304]);
    let base: Omit<GithubCheap, 'sha' | 'committedDate' | 'commitCount'>;
    if (repo.status === 304 && t.state.cheap !== undefined) {
      base = t.state.cheap;
    } else {
      const body = asObject(repo.status === 304 ? null : repo.json());
      base = {
        stars: num(body, 'stargazers_count'),
        forks: num(body, 'forks_count'),
        description: str(body, 'description'),
        archived: bool(body, 'archived'),
        nameWithOwner: str(body, 'full_name', `${t.owner}/${t.name}`),
      };
      if (repo.etag !== null) etags.repo = repo.etag;
    }
    const [owner, name] = base.nameWithOwner.split('/');
    const commits = await rest(`/repos/${owner ?? t.owner}/${name ?? t.name}/commits?per_page=1`, etags.commits);
    // 409 = empty repository.
    expectStatus(commits, [200, 304, 409]);
    let sha: string | null = null;
    let committedDate: string | null = null;
    let commitCount: number | null = 0;
    if (commits.status === 304 && t.state.cheap !== undefined && t.state.sha !== undefined) {
      sha = t.state.sha;
      committedDate = t.state.cheap.committedDate;
      commitCount = t.state.cheap.commitCount;
    } else if (commits.status !== 409) {
      const list = asArray(commits.json());
      const first = asObject(list[0]);
      sha = strOrNull(first, 'sha');
      committedDate = strOrNull(asObject(asObject(first?.commit)?.committer), 'date');
      commitCount = pageParam(linkRel(commits.headers.get('link'), 'last')) ?? list.length;
      if (commits.etag !== null) etags.commits = commits.etag;
    }
    return { cheap: { ...base, sha, committedDate, commitCount }, etags };
  }

  async function participation(
    owner: string,
    name: string,
    etag: string | undefined,
  ): Promise<{ weeks: number[] | null; pending: boolean; notModified: boolean; etag: string | null }> {
    const res = await rest(`/repos/${owner}/${name}/stats/participation`, etag);
    expectStatus(res, [200, 202, 204, 304]);
    if (res.status === 202) return { weeks: null, pending: true, notModified: false, etag: null };
    if (res.status === 304) return { weeks: null, pending: false, notModified: true, etag: etag ?? null };
    if (res.status === 204) return { weeks: new Array<number>(52).fill(0), pending: false, notModified: false, etag: res.etag };
    const weeks = asWeeks(asObject(res.json())?.all);
    // An answer without a 52-int `all` is treated like 202: keep the old value and retry.
    return { weeks, pending: weeks === null, notModified: false, etag: res.etag };
  }

  async function contributors(
    owner: string,
    name: string,
    etag: string | undefined,
  ): Promise<{ logins: string[] | null; etag: string | null }> {
    const logins: string[] = [];
    let url: string | null = `${apiUrl}/repos/${owner}/${name}/contributors?per_page=100`;
    let firstEtag: string | null = null;
    for (let page = 0; url !== null && page < MAX_CONTRIBUTOR_PAGES; page++) {
      // Only page 1 carries an ETag: if it is unchanged, the list is unchanged for our purposes.
      const res: HttpResponse = await http.request(url, { headers, etag: page === 0 ? etag : undefined, key: REST_KEY });
      expectStatus(res, [200, 204, 304]);
      if (res.status === 304) return { logins: null, etag: etag ?? null };
      if (page === 0) firstEtag = res.etag;
      if (res.status === 204) break;
      for (const c of asArray(res.json())) {
        const login = str(asObject(c), 'login');
        if (login !== '') logins.push(login);
      }
      url = linkRel(res.headers.get('link'), 'next');
    }
    return { logins: uniqueInOrder(logins), etag: firstEtag };
  }

  /** Turns the cheap fields into a result, calling the REST statistics only when the branch moved. */
  async function complete(t: Target, cheap: GithubCheap, etagsIn: GithubState['etags']): Promise<RepoResult> {
    const prev = t.state;
    const etags = { ...etagsIn };
    const today = now();
    const currentWeek = weekNumber(today);
    const moved = prev.sha === undefined || prev.sha !== cheap.sha;
    const [owner = t.owner, name = t.name] = cheap.nameWithOwner.split('/');
    let weeks: number[] | null = null;
    let participants: string[] | null = null;
    let participationPending = false;
    let contributorsPending = false;
    let weeksChanged = false;
    let anchor = prev.weeksAnchor ?? currentWeek;
    let baseWeeks = prev.weeks ?? null;

    if (cheap.sha === null) {
      // Empty repository: nothing to ask the statistics endpoints.
      weeks = new Array<number>(52).fill(0);
      participants = [];
      weeksChanged = true;
      anchor = currentWeek;
    } else {
      if (moved || prev.participationPending === true || baseWeeks === null) {
        const p = await participation(owner, name, etags.participation);
        participationPending = p.pending;
        if (p.etag !== null) etags.participation = p.etag;
        if (p.weeks !== null) {
          weeks = p.weeks;
          weeksChanged = true;
          anchor = currentWeek;
        } else if (p.notModified && baseWeeks !== null) {
          // 304: GitHub's own window is identical, so the stored array is current as of this week.
          anchor = currentWeek;
        }
      }
      if (moved || prev.contributorsPending === true) {
        try {
          const c = await contributors(owner, name, etags.contributors);
          participants = c.logins;
          if (c.etag !== null) etags.contributors = c.etag;
        } catch (err) {
          // GitHub answers 403 "history too large" for huge repos; the other fields are still good.
          if (err instanceof RateLimitedError) throw err;
          contributorsPending = true;
        }
      }
      if (!weeksChanged && baseWeeks !== null && anchor < currentWeek) {
        // Same sha across a week boundary: no new commits, so the window just slides (no request needed).
        weeks = shiftWeeks(baseWeeks, anchor, today);
        weeksChanged = true;
        anchor = currentWeek;
      }
    }
    if (weeks !== null) baseWeeks = weeks;

    const next: GithubState = {
      sha: cheap.sha,
      cheap: {
        stars: cheap.stars,
        forks: cheap.forks,
        description: cheap.description,
        archived: cheap.archived,
        nameWithOwner: cheap.nameWithOwner,
        committedDate: cheap.committedDate,
        commitCount: cheap.commitCount,
      },
      etags,
    };
    if (baseWeeks !== null) {
      next.weeks = baseWeeks;
      next.weeksAnchor = anchor;
    }
    if (participationPending) next.participationPending = true;
    if (contributorsPending) next.contributorsPending = true;
    const state = next as FetchState;

    const renamed = cheap.nameWithOwner !== '' && cheap.nameWithOwner.toLowerCase() !== `${t.owner}/${t.name}`.toLowerCase();
    if (!moved && !weeksChanged && participants === null && sameCheap(prev.cheap, cheap) && !renamed && !participationPending) {
      return { kind: 'unchanged', state };
    }
    const metrics: RepoMetrics = {
      stars: cheap.stars,
      forks: cheap.forks,
      description: cheap.description,
      archived: cheap.archived,
      lastCommitDate: cheap.committedDate,
      commitCount: cheap.commitCount,
      participants,
      commitsOver52: weeksChanged ? weeks : null,
    };
    const pending: PendingField[] = [];
    if (participationPending) pending.push('commitsOver52');
    if (contributorsPending) pending.push('participants');
    const result: RepoResult = { kind: 'ok', metrics, state };
    if (pending.length > 0) result.pending = pending;
    if (renamed) result.renamedTo = `https://github.com/${cheap.nameWithOwner.toLowerCase()}`;
    return result;
  }

  async function viaRest(t: Target): Promise<RepoResult> {
    try {
      const { cheap, etags } = await restCheap(t);
      return await complete(t, cheap, etags);
    } catch (err) {
      if (err instanceof NotFoundSignal) return { kind: 'not_found' };
      return failureFrom(err);
    }
  }

  return {
    host: 'github',
    matches: (url) => /^(?:https?:\/\/)?(?:www\.)?github\.com\//i.test(url.trim()),
    async fetchMany(refs) {
      const out = new Map<number, RepoResult>();
      const targets: Target[] = [];
      for (const ref of refs) {
        const parts = splitRepoUrl(ref.repoUrl);
        const owner = parts?.segments[0];
        const name = parts?.segments[1];
        if (owner === undefined || name === undefined) {
          out.set(ref.packageId, { kind: 'error', reason: `not a GitHub repository URL: ${ref.repoUrl}`, retryable: false });
          continue;
        }
        targets.push({ ref, owner, name, state: readState(ref.state) });
      }
      if (token === undefined || token === '') {
        const results = await mapLimit(targets, concurrency, viaRest);
        targets.forEach((t, i) => out.set(t.ref.packageId, results[i] ?? { kind: 'error', reason: 'lost', retryable: true }));
        return out;
      }
      const batches: Target[][] = [];
      for (let i = 0; i < targets.length; i += batchSize) batches.push(targets.slice(i, i + batchSize));
      const cheapById = new Map<number, GithubCheap | RepoResult>();
      // Batches run a few at a time: GitHub's secondary limits punish bursts of concurrent GraphQL queries.
      await mapLimit(batches, 2, async (batch) => {
        for (const [id, v] of await graphqlBatch(batch)) cheapById.set(id, v);
      });
      const results = await mapLimit(targets, concurrency, async (t): Promise<RepoResult> => {
        const cheap = cheapById.get(t.ref.packageId);
        if (cheap === undefined) return { kind: 'error', reason: 'lost', retryable: true };
        if ('kind' in cheap) return cheap;
        try {
          return await complete(t, cheap, t.state.etags);
        } catch (err) {
          if (err instanceof NotFoundSignal) return { kind: 'not_found' };
          return failureFrom(err);
        }
      });
      targets.forEach((t, i) => out.set(t.ref.packageId, results[i] ?? { kind: 'error', reason: 'lost', retryable: true }));
      return out;
    },
  };
}
