// Bitbucket Cloud (API 2.0). Unlike the original, forks and watchers are real totals (the paginated
// answer's `size`, or every page counted when `size` is missing), and the full commit listing runs only
// when the main branch head moved.
import { asArray, asObject, expectStatus, fetchEachRef, str, strOrNull } from '../common.js';
import type { FetcherConfig, PendingField, RepoFetcher, RepoResult } from '../fetcher.js';
import { hostResult, readHostState } from '../host-state.js';
import type { HostCheap } from '../host-state.js';
import type { HttpResponse } from '../http.js';
import { splitRepoUrl } from '../repo-url.js';
import { bucketCommits } from '../weeks.js';

const KEY = 'bitbucket';

/** Creates the Bitbucket fetcher. */
export function createBitbucketFetcher(config: FetcherConfig): RepoFetcher {
  const http = config.http;
  const apiUrl = (config.bitbucketApiUrl ?? 'https://api.bitbucket.org').replace(/\/+$/, '');
  const concurrency = config.concurrency ?? 8;
  const now = config.now ?? (() => new Date());
  const maxPages = config.maxCommitPages ?? 50;
  const get = (url: string, etag?: string): Promise<HttpResponse> => http.request(url, { etag, key: KEY });

  /** Total of a paginated collection: `size` when Bitbucket sends it, else every page counted. */
  async function total(url: string): Promise<number> {
    let next: string | null = `${url}?pagelen=100`;
    let count = 0;
    for (let page = 0; next !== null && page < maxPages; page++) {
      const res: HttpResponse = await get(next);
      expectStatus(res, [200]);
      const body = asObject(res.json());
      if (typeof body?.size === 'number') return body.size;
      count += asArray(body?.values).length;
      next = strOrNull(body, 'next');
    }
    return count;
  }

  async function fetchOne(repoUrl: string, stateIn: Record<string, unknown>): Promise<RepoResult> {
    const parts = splitRepoUrl(repoUrl);
    const workspace = parts?.segments[0];
    const slug = parts?.segments[1];
    if (workspace === undefined || slug === undefined)
      return { kind: 'error', reason: `not a Bitbucket repository URL: ${repoUrl}`, retryable: false };
    const prev = readHostState(stateIn);
    const today = now();
    const repoApi = `${apiUrl}/2.0/repositories/${encodeURIComponent(workspace)}/${encodeURIComponent(slug)}`;
    const etags = { ...prev.etags };

    const repo = await get(`${repoApi}/`, prev.etags.repo);
    expectStatus(repo, [200, 304]);
    let description: string;
    let fullName: string;
    let branch: string;
    if (repo.status === 304 && prev.cheap !== null && typeof stateIn.branch === 'string') {
      description = prev.cheap.description;
      fullName = prev.cheap.fullName;
      branch = stateIn.branch;
    } else {
      const body = asObject(repo.json());
      description = str(body, 'description');
      fullName = str(body, 'full_name');
      branch = str(asObject(body?.mainbranch), 'name');
      if (repo.etag !== null) etags.repo = repo.etag;
    }
    const [forks, watchers] = await Promise.all([total(`${repoApi}/forks/`), total(`${repoApi}/watchers/`)]);
    // Bitbucket has no archived flag and no stars; watchers are what the original shows as stars.
    const cheap: HostCheap = { stars: watchers, forks, description, archived: false, fullName };

    const commitsUrl = branch === '' ? `${repoApi}/commits/` : `${repoApi}/commits/${encodeURIComponent(branch)}`;
    const head = await get(`${commitsUrl}?pagelen=100`);
    expectStatus(head, [200]);
    const headBody = asObject(head.json());
    const firstValues = asArray(headBody?.values);
    const first = asObject(firstValues[0]);
    const sha = strOrNull(first, 'hash');
    const committedDate = strOrNull(first, 'date');
    let commitCount: number | null = null;
    let weeks: number[] | null = null;
    const pending: PendingField[] = [];
    if (prev.sha !== sha || prev.weeks === null) {
      // No count endpoint exists: page through everything (capped), counting and bucketing as we go.
      const dates = firstValues.map((v) => str(asObject(v), 'date'));
      let next = strOrNull(headBody, 'next');
      for (let page = 1; next !== null && page < maxPages; page++) {
        const res = await get(next);
        expectStatus(res, [200]);
        const body = asObject(res.json());
        for (const v of asArray(body?.values)) dates.push(str(asObject(v), 'date'));
        next = strOrNull(body, 'next');
      }
      if (next === null) commitCount = dates.length;
      else pending.push('commitCount');
      weeks = bucketCommits(dates, today);
    }
    const fresh = { cheap, sha, committedDate, commitCount, participants: prev.sha === sha ? null : [workspace], weeks, etags };
    const result = hostResult(
      prev,
      pending.length > 0 ? { ...fresh, pending } : fresh,
      `${workspace}/${slug}`,
      'https://bitbucket.org',
      today,
    );
    if (result.kind === 'ok' || result.kind === 'unchanged') result.state.branch = branch;
    return result;
  }

  return {
    host: 'bitbucket',
    matches: (url) => /^(?:https?:\/\/)?(?:www\.)?bitbucket\.org\//i.test(url.trim()),
    fetchMany: (refs) => fetchEachRef(refs, concurrency, fetchOne),
  };
}
