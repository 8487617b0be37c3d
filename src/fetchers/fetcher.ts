// The RepoFetcher contract every code-host folder implements, plus host detection and the registry.
// Fetchers return plain values and never touch the database: the refresh job persists `state` (opaque
// per-host JSON: ETags, last seen sha, histogram anchor) and applies `metrics` in one transaction.
import { createBitbucketFetcher } from './bitbucket/bitbucket.fetcher.js';
import { createForgejoFetcher } from './forgejo/forgejo.fetcher.js';
import { createGithubFetcher } from './github/github.fetcher.js';
import { createGitlabFetcher } from './gitlab/gitlab.fetcher.js';
import type { HttpClient } from './http.js';
import { splitRepoUrl } from './repo-url.js';

/** Opaque per-repository JSON owned by one fetcher; the caller stores it and passes it back next time. */
export interface FetchState {
  [k: string]: unknown;
}

export interface RepoRef {
  packageId: number;
  repoUrl: string;
  /** Package.repo_host: '' = auto-detect, else overrides detection. */
  repoHost: string;
  /** What the previous fetch returned as `state` ({} the first time). */
  state: FetchState;
}

export interface RepoMetrics {
  stars: number;
  forks: number;
  description: string;
  archived: boolean;
  /** ISO 8601 exactly as the upstream sent it; null for an empty repository. */
  lastCommitDate: string | null;
  /** Commits on the default branch; null = unknown this time, keep the old value. */
  commitCount: number | null;
  /** Contributor logins (GitHub) or names, in upstream order; null = unchanged, keep the old value. */
  participants: string[] | null;
  /** 52 weekly counts, oldest first, index 51 = current week; null = keep the old value. */
  commitsOver52: number[] | null;
}

/** A field that could not be computed this time (e.g. GitHub stats answered 202): retry the package soon. */
export type PendingField = 'commitsOver52' | 'participants' | 'commitCount';

export type RepoResult =
  | { kind: 'ok'; metrics: RepoMetrics; state: FetchState; renamedTo?: string; pending?: PendingField[] }
  /** Nothing changed upstream (304s / same sha and same week): nothing to write except `state`. */
  | { kind: 'unchanged'; state: FetchState }
  | { kind: 'not_found' }
  /** The URL is not on a host we can fetch; the original zeroes the repo metrics in that case. */
  | { kind: 'unsupported' }
  | { kind: 'error'; reason: string; retryable: boolean }
  | { kind: 'rate_limited'; resetAt: string };

export interface RepoFetcher {
  /** Which RepoHost this fetcher serves. */
  host: RepoHost;
  /** True when the URL would be auto-detected as this host. */
  matches(url: string): boolean;
  /** Fetches many repositories; every ref gets exactly one result, failures included (never throws). */
  fetchMany(refs: readonly RepoRef[]): Promise<Map<number, RepoResult>>;
}

export type RepoHost = 'github' | 'gitlab' | 'bitbucket' | 'codeberg' | 'forgejo';
export type DetectedHost = RepoHost | 'unsupported';

export interface FetcherConfig {
  http: HttpClient;
  githubToken?: string | undefined;
  /** Default https://api.github.com */
  githubApiUrl?: string;
  /** Default `${githubApiUrl}/graphql` */
  githubGraphqlUrl?: string;
  /** Repositories per GraphQL query (see github/github.graphql.ts for the choice). */
  githubBatchSize?: number;
  /** gitlab.com's base URL. Default https://gitlab.com */
  gitlabUrl?: string;
  gitlabToken?: string | undefined;
  /** Default https://api.bitbucket.org */
  bitbucketApiUrl?: string;
  /** Codeberg's base URL. Default https://codeberg.org */
  codebergUrl?: string;
  /** Parallel REST requests per fetcher. Default 8. */
  concurrency?: number;
  /** Clock for the weekly histograms (tests pin it). */
  now?: () => Date;
  /** Cap on paginated commit listings (Bitbucket/Forgejo/GitLab), so one huge repo cannot stall a run. */
  maxCommitPages?: number;
}

const AUTO_DETECT: readonly [RepoHost, RegExp][] = [
  ['github', /^(?:https?:\/\/)?(?:www\.)?github\.com\//i],
  ['gitlab', /^(?:https?:\/\/)?(?:www\.)?gitlab\.com\//i],
  ['bitbucket', /^(?:https?:\/\/)?(?:www\.)?bitbucket\.org\//i],
  ['codeberg', /^(?:https?:\/\/)?(?:www\.)?codeberg\.org\//i],
];

const OVERRIDES = new Set<string>(['github', 'gitlab', 'bitbucket', 'codeberg', 'forgejo']);

/** Picks the handler: a non-empty repo_host overrides; Forgejo is never auto-detected (as the original). */
export function detectHost(repoUrl: string, repoHost: string): DetectedHost {
  const forced = repoHost.trim().toLowerCase();
  if (forced !== '') return OVERRIDES.has(forced) ? (forced as RepoHost) : 'unsupported';
  for (const [host, re] of AUTO_DETECT) if (re.test(repoUrl.trim())) return host;
  return 'unsupported';
}

/** Base URL for a self-hostable host: the configured one when the repo lives there, else the repo URL's origin. */
export function instanceBaseUrl(repoUrl: string, configuredBase: string, publicHost: string): { base: string; selfHosted: boolean } | null {
  const parts = splitRepoUrl(repoUrl);
  if (parts === null) return null;
  const configuredHost = new URL(configuredBase).host.toLowerCase();
  if (parts.host === publicHost || parts.host === configuredHost) return { base: configuredBase.replace(/\/+$/, ''), selfHosted: false };
  return { base: parts.origin, selfHosted: true };
}

export interface FetcherRegistry {
  fetchers: Record<RepoHost, RepoFetcher>;
  /** The fetcher for a ref, or null when unsupported. */
  forRef(ref: Pick<RepoRef, 'repoUrl' | 'repoHost'>): RepoFetcher | null;
  /** Groups refs by host, fetches each group, and returns one result per packageId. */
  fetchAll(refs: readonly RepoRef[]): Promise<Map<number, RepoResult>>;
}

/** Builds every repo fetcher over one shared HTTP client. */
export function createFetchers(config: FetcherConfig): FetcherRegistry {
  const forgejo = createForgejoFetcher(config, 'forgejo');
  const fetchers: Record<RepoHost, RepoFetcher> = {
    github: createGithubFetcher(config),
    gitlab: createGitlabFetcher(config),
    bitbucket: createBitbucketFetcher(config),
    // Codeberg is a Forgejo instance; it differs only in being auto-detected and in its configured base URL.
    codeberg: createForgejoFetcher(config, 'codeberg'),
    forgejo,
  };
  function forRef(ref: Pick<RepoRef, 'repoUrl' | 'repoHost'>): RepoFetcher | null {
    const host = detectHost(ref.repoUrl, ref.repoHost);
    return host === 'unsupported' ? null : fetchers[host];
  }
  return {
    fetchers,
    forRef,
    async fetchAll(refs) {
      const groups = new Map<RepoFetcher, RepoRef[]>();
      const out = new Map<number, RepoResult>();
      for (const ref of refs) {
        const f = forRef(ref);
        if (f === null) {
          out.set(ref.packageId, { kind: 'unsupported' });
          continue;
        }
        const list = groups.get(f) ?? [];
        list.push(ref);
        groups.set(f, list);
      }
      // Different hosts have independent quotas, so their groups run side by side.
      const maps = await Promise.all([...groups].map(([f, list]) => f.fetchMany(list)));
      for (const m of maps) for (const [id, r] of m) out.set(id, r);
      return out;
    },
  };
}
