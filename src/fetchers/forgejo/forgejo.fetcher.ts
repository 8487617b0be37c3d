// Forgejo/Gitea (Codeberg and any instance): /api/v1/repos/{o}/{r}, the head commit with X-Total-Count as
// the commit count, and `commits?since=` pages for the histogram only when the head moved. Participants are
// not set, as in the original (Forgejo has no contributors endpoint).
import { asArray, asObject, bool, expectStatus, fetchEachRef, num, str, strOrNull } from '../common.js';
import type { FetcherConfig, RepoFetcher, RepoHost, RepoResult } from '../fetcher.js';
import { instanceBaseUrl } from '../fetcher.js';
import { hostResult, readHostState } from '../host-state.js';
import type { HostCheap } from '../host-state.js';
import type { HttpResponse } from '../http.js';
import { splitRepoUrl } from '../repo-url.js';
import { bucketCommits, histogramPlan } from '../weeks.js';

const PAGE = 50;
// Trims the commit JSON: Forgejo otherwise computes diff stats and signature checks for every commit.
const LEAN = 'stat=false&verification=false&files=false';

/** Creates a Forgejo fetcher: 'codeberg' uses codebergUrl for codeberg.org; 'forgejo' uses the repo URL's origin. */
export function createForgejoFetcher(config: FetcherConfig, host: Extract<RepoHost, 'codeberg' | 'forgejo'>): RepoFetcher {
  const http = config.http;
  const codebergUrl = config.codebergUrl ?? 'https://codeberg.org';
  const concurrency = config.concurrency ?? 8;
  const now = config.now ?? (() => new Date());
  const maxPages = config.maxCommitPages ?? 50;

  async function fetchOne(repoUrl: string, stateIn: Record<string, unknown>): Promise<RepoResult> {
    const parts = splitRepoUrl(repoUrl);
    const instance = instanceBaseUrl(repoUrl, codebergUrl, 'codeberg.org');
    const owner = parts?.segments[0];
    const name = parts?.segments[1];
    if (parts === null || instance === null || owner === undefined || name === undefined) {
      return { kind: 'error', reason: `not a Forgejo repository URL: ${repoUrl}`, retryable: false };
    }
    const { base, selfHosted } = instance;
    const key = selfHosted ? `forgejo:${new URL(base).host}` : 'codeberg';
    const get = (url: string, etag?: string): Promise<HttpResponse> => http.request(url, { etag, key, selfHosted });
    const prev = readHostState(stateIn);
    const today = now();
    const api = `${base}/api/v1/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
    const etags = { ...prev.etags };

    const repo = await get(api, prev.etags.repo);
    expectStatus(repo, [200, 304]);
    let cheap: HostCheap;
    let branch: string;
    if (repo.status === 304 && prev.cheap !== null && typeof stateIn.branch === 'string') {
      cheap = prev.cheap;
      branch = stateIn.branch;
    } else {
      const body = asObject(repo.json());
      cheap = {
        // stars_count, not watchers_count: the original flip-flopped (issues #1266/#1324) and lost stars.
        stars: num(body, 'stars_count'),
        forks: num(body, 'forks_count'),
        description: str(body, 'description'),
        archived: bool(body, 'archived'),
        fullName: str(body, 'full_name'),
      };
      branch = str(body, 'default_branch');
      if (repo.etag !== null) etags.repo = repo.etag;
    }
    const branchQuery = branch === '' ? '' : `sha=${encodeURIComponent(branch)}&`;
    const head = await get(`${api}/commits?${branchQuery}limit=1&${LEAN}`);
    // 409 = empty repository.
    expectStatus(head, [200, 409]);
    const first = head.status === 409 ? null : asObject(asArray(head.json())[0]);
    const sha = strOrNull(first, 'sha');
    const committedDate = strOrNull(asObject(asObject(first?.commit)?.committer), 'date');
    const totalHeader = Number(head.headers.get('x-total-count'));
    const commitCount = sha === null ? 0 : Number.isInteger(totalHeader) && head.headers.get('x-total-count') !== null ? totalHeader : null;

    let weeks: number[] | null = null;
    if (sha === null) {
      weeks = new Array<number>(52).fill(0);
    } else if (prev.sha !== sha || prev.weeks === null) {
      const plan = histogramPlan(prev.weeks, prev.weeksAnchor, prev.histAt, today);
      const dates: string[] = [];
      for (let page = 1; page <= maxPages; page++) {
        const res = await get(
          `${api}/commits?${branchQuery}since=${encodeURIComponent(plan.since.toISOString())}&limit=${PAGE}&page=${page}&${LEAN}`,
        );
        expectStatus(res, [200]);
        const list = asArray(res.json());
        for (const c of list) dates.push(str(asObject(asObject(asObject(c)?.commit)?.committer), 'date'));
        if (list.length < PAGE) break;
      }
      weeks = bucketCommits(
        dates.filter((d) => Date.parse(d) >= plan.since.getTime()),
        today,
        plan.base,
      );
    }
    const publicOrigin = selfHosted ? parts.origin : 'https://codeberg.org';
    const result = hostResult(
      prev,
      { cheap, sha, committedDate, commitCount, participants: null, weeks, etags },
      `${owner}/${name}`,
      publicOrigin,
      today,
    );
    if (result.kind === 'ok' || result.kind === 'unchanged') result.state.branch = branch;
    return result;
  }

  return {
    host,
    // Only Codeberg is auto-detected; a generic Forgejo needs repo_host="forgejo" (as the original).
    matches: (url) => host === 'codeberg' && /^(?:https?:\/\/)?(?:www\.)?codeberg\.org\//i.test(url.trim()),
    fetchMany: (refs) => fetchEachRef(refs, concurrency, fetchOne),
  };
}
