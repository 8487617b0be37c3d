// GitLab (gitlab.com and self-hosted; nested groups): /api/v4/projects/:urlencoded-path, then the head
// commit; contributors, commit count (commits/:sha/sequence) and the `since` commit listing only when the
// head moved since the last fetch.
import { asArray, asObject, bool, expectStatus, fetchEachRef, linkRel, num, str, strOrNull, uniqueInOrder } from '../common.js';
import type { FetcherConfig, PendingField, RepoFetcher, RepoResult } from '../fetcher.js';
import { instanceBaseUrl } from '../fetcher.js';
import { hostResult, readHostState } from '../host-state.js';
import type { HostCheap } from '../host-state.js';
import type { HttpResponse } from '../http.js';
import { RateLimitedError } from '../http.js';
import { splitRepoUrl } from '../repo-url.js';
import { bucketCommits, histogramPlan } from '../weeks.js';

/** Creates the GitLab fetcher; the base URL is gitlabUrl for gitlab.com, else the repo URL's origin. */
export function createGitlabFetcher(config: FetcherConfig): RepoFetcher {
  const http = config.http;
  const gitlabUrl = config.gitlabUrl ?? 'https://gitlab.com';
  const concurrency = config.concurrency ?? 8;
  const now = config.now ?? (() => new Date());
  const maxPages = config.maxCommitPages ?? 50;

  async function fetchOne(repoUrl: string, stateIn: Record<string, unknown>): Promise<RepoResult> {
    const parts = splitRepoUrl(repoUrl);
    const instance = instanceBaseUrl(repoUrl, gitlabUrl, 'gitlab.com');
    if (parts === null || instance === null) return { kind: 'error', reason: `not a GitLab project URL: ${repoUrl}`, retryable: false };
    const { base, selfHosted } = instance;
    const path = parts.segments.join('/');
    const publicOrigin = selfHosted ? parts.origin : 'https://gitlab.com';
    const headers: Record<string, string> = {};
    // The gitlab.com token must never be sent to an instance a user typed in.
    if (!selfHosted && config.gitlabToken !== undefined && config.gitlabToken !== '') headers['private-token'] = config.gitlabToken;
    const key = selfHosted ? `gitlab:${new URL(base).host}` : 'gitlab';
    const get = (url: string, etag?: string): Promise<HttpResponse> => http.request(url, { headers, etag, key, selfHosted });
    const prev = readHostState(stateIn);
    const today = now();
    const api = `${base}/api/v4`;

    const project = await get(`${api}/projects/${encodeURIComponent(path)}?license=true`, prev.etags.project);
    expectStatus(project, [200, 304]);
    const etags = { ...prev.etags };
    let cheap: HostCheap;
    let projectId: string;
    let branch: string;
    if (project.status === 304 && prev.cheap !== null && typeof stateIn.projectId === 'string' && typeof stateIn.branch === 'string') {
      cheap = prev.cheap;
      projectId = stateIn.projectId;
      branch = stateIn.branch;
    } else {
      const body = asObject(project.json());
      cheap = {
        stars: num(body, 'star_count'),
        forks: num(body, 'forks_count'),
        description: str(body, 'description'),
        archived: bool(body, 'archived'),
        fullName: str(body, 'path_with_namespace'),
      };
      projectId = String(num(body, 'id'));
      branch = str(body, 'default_branch');
      if (project.etag !== null) etags.project = project.etag;
    }
    const repo = `${api}/projects/${projectId}/repository`;
    let sha: string | null = null;
    let committedDate: string | null = null;
    if (branch !== '') {
      const head = await get(`${repo}/commits?ref_name=${encodeURIComponent(branch)}&per_page=1`);
      expectStatus(head, [200]);
      const first = asObject(asArray(head.json())[0]);
      sha = strOrNull(first, 'id');
      committedDate = strOrNull(first, 'committed_date');
    }
    const moved = prev.sha !== sha || prev.weeks === null;
    let participants: string[] | null = null;
    let commitCount: number | null = null;
    let weeks: number[] | null = null;
    const pending: PendingField[] = [];
    if (sha === null) {
      commitCount = 0;
      participants = [];
      weeks = new Array<number>(52).fill(0);
    } else if (moved) {
      const seq = await get(`${repo}/commits/${sha}/sequence`);
      if (seq.status === 200) commitCount = num(asObject(seq.json()), 'count');
      else pending.push('commitCount');
      try {
        participants = await listPaged(`${repo}/contributors?per_page=100`, get, (c) => str(asObject(c), 'name'));
        participants = uniqueInOrder(participants.filter((n) => n !== ''));
      } catch (err) {
        if (err instanceof RateLimitedError) throw err;
        pending.push('participants');
      }
      const plan = histogramPlan(prev.weeks, prev.weeksAnchor, prev.histAt, today);
      const dates = await listPaged(
        `${repo}/commits?ref_name=${encodeURIComponent(branch)}&since=${encodeURIComponent(plan.since.toISOString())}&per_page=100`,
        get,
        (c) => str(asObject(c), 'committed_date'),
      );
      // Filter again: a server may ignore `since`, and commits before it are already in the shifted base.
      weeks = bucketCommits(
        dates.filter((d) => Date.parse(d) >= plan.since.getTime()),
        today,
        plan.base,
      );
    }
    const fresh = { cheap, sha, committedDate, commitCount, participants, weeks, etags };
    const result = hostResult(prev, pending.length > 0 ? { ...fresh, pending } : fresh, path, publicOrigin, today);
    if (result.kind === 'ok' || result.kind === 'unchanged') {
      result.state.projectId = projectId;
      result.state.branch = branch;
    }
    return result;
  }

  async function listPaged(first: string, get: (url: string) => Promise<HttpResponse>, pick: (item: unknown) => string): Promise<string[]> {
    const out: string[] = [];
    let url: string | null = first;
    for (let page = 0; url !== null && page < maxPages; page++) {
      const res: HttpResponse = await get(url);
      expectStatus(res, [200]);
      for (const item of asArray(res.json())) out.push(pick(item));
      const nextPage = res.headers.get('x-next-page');
      url = linkRel(res.headers.get('link'), 'next');
      if (url === null && nextPage !== null && nextPage !== '') {
        const u = new URL(first);
        u.searchParams.set('page', nextPage);
        url = u.href;
      }
    }
    return out;
  }

  return {
    host: 'gitlab',
    matches: (url) => /^(?:https?:\/\/)?(?:www\.)?gitlab\.com\//i.test(url.trim()),
    fetchMany: (refs) => fetchEachRef(refs, concurrency, fetchOne),
  };
}
