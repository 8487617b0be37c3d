// The refresh job: claim due packages under a lease, fetch them (repo hosts batched, PyPI in parallel), and
// write each package in its own transaction. Returns a stats object; never throws for one package's failure.
import type { Db } from '../db/index.js';
import { detectHost, type FetcherRegistry, type RepoRef, type RepoResult } from '../fetchers/fetcher.js';
import type { HttpClient, RequestCounts } from '../fetchers/http.js';
import { pypiNameFromUrl, type PypiFetcher, type PypiResult } from '../fetchers/pypi/pypi.fetcher.js';
import { mapLimit } from '../fetchers/common.js';
import { nowIso, timestampToMillis } from '../lib/datetime.js';
import {
  applyFetchOutcome,
  claimForRefresh,
  countRefreshable,
  pypiEtagFor,
  releaseRefreshClaims,
  repoStateFor,
  type ClaimFilter,
  type ClaimedPackage,
  type FetchOutcome,
} from '../packages/package-metrics.service.js';

/** Everything a refresh run needs; built once per process by createRefreshDeps. */
export interface RefreshDeps {
  db: Db;
  http: HttpClient;
  fetchers: FetcherRegistry;
  pypi: PypiFetcher;
  refreshHours: number;
  /** Clock (tests pin it); exact timestamp strings. */
  now?: () => string;
  /** How long a claim holds a package; a crashed worker's packages come back after it. Default 600 s. */
  leaseSeconds?: number;
  /** Packages fetched together (one GraphQL batch set, one PyPI fan-out). Default 100. */
  chunkSize?: number;
  /** Parallel PyPI requests. Default 8. */
  pypiConcurrency?: number;
  /** Checked between chunks: a stopping worker gives its remaining leases back. */
  isStopping?: () => boolean;
}

/** What a run did. */
export interface RefreshStats {
  claimed: number;
  fetched: number;
  unchanged: number;
  failed: number;
  deprecated: number;
  renamed: number;
  /** reason → packages, e.g. {"github:not_found": 2, "pypi:http_500": 1}. */
  failures: Record<string, number>;
  /** Upstream requests made during the run, by host and by rate-limit key. */
  requests: RequestCounts;
}

/** An empty stats object. */
export function emptyStats(): RefreshStats {
  return { claimed: 0, fetched: 0, unchanged: 0, failed: 0, deprecated: 0, renamed: 0, failures: {}, requests: { byHost: {}, byKey: {} } };
}

function addCounts(into: Record<string, number>, from: Record<string, number>, minus: Record<string, number> = {}): void {
  for (const [k, v] of Object.entries(from)) {
    const d = v - (minus[k] ?? 0);
    if (d !== 0) into[k] = (into[k] ?? 0) + d;
  }
}

/** Adds `b` into `a` (for runs made of several chunks or ticks). */
export function mergeStats(a: RefreshStats, b: RefreshStats): RefreshStats {
  a.claimed += b.claimed;
  a.fetched += b.fetched;
  a.unchanged += b.unchanged;
  a.failed += b.failed;
  a.deprecated += b.deprecated;
  a.renamed += b.renamed;
  addCounts(a.failures, b.failures);
  addCounts(a.requests.byHost, b.requests.byHost);
  addCounts(a.requests.byKey, b.requests.byKey);
  return a;
}

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Fetches and writes already-claimed packages, chunk by chunk. */
export async function refreshClaimed(
  deps: RefreshDeps,
  claimed: readonly ClaimedPackage[],
  onDone?: (n: number) => void,
): Promise<RefreshStats> {
  const stats = emptyStats();
  stats.claimed = claimed.length;
  const before = deps.http.requestCounts();
  const chunk = deps.chunkSize ?? 100;
  let done = 0;
  for (let i = 0; i < claimed.length; i += chunk) {
    if (deps.isStopping?.() === true) {
      await releaseRefreshClaims(
        deps.db,
        claimed.slice(i).map((p) => p.id),
      );
      break;
    }
    const part = claimed.slice(i, i + chunk);
    const refs: RepoRef[] = [];
    const hosts = new Map<number, string>();
    for (const p of part) {
      if (p.repoUrl.trim() === '') continue;
      const host = detectHost(p.repoUrl, p.repoHost);
      if (host === 'unsupported') continue;
      hosts.set(p.id, host);
      refs.push({ packageId: p.id, repoUrl: p.repoUrl, repoHost: p.repoHost, state: repoStateFor(p, host) });
    }
    const withPypi = part.filter((p) => p.pypiUrl.trim() !== '');
    const [repoResults, pypiResults] = await Promise.all([
      deps.fetchers.fetchAll(refs),
      mapLimit(withPypi, deps.pypiConcurrency ?? 8, async (p) => {
        const name = pypiNameFromUrl(p.pypiUrl);
        const result = await deps.pypi.fetchProject(name, { etag: pypiEtagFor(p, name) });
        return [p.id, { name, result }] as const;
      }),
    ]);
    const pypiById = new Map<number, { name: string; result: PypiResult }>(pypiResults);
    for (const p of part) {
      const host = hosts.get(p.id);
      const repoResult: RepoResult | undefined = repoResults.get(p.id);
      const outcome: FetchOutcome = {
        repo: host !== undefined && repoResult !== undefined ? { host, result: repoResult } : null,
        pypi: pypiById.get(p.id) ?? null,
      };
      const now = (deps.now ?? nowIso)();
      try {
        const r = await applyFetchOutcome(deps.db, p, outcome, { now, refreshHours: deps.refreshHours });
        stats[r.status]++;
        if (r.deprecated) stats.deprecated++;
        if (r.renamedTo !== null) stats.renamed++;
        for (const reason of r.reasons) stats.failures[reason] = (stats.failures[reason] ?? 0) + 1;
      } catch (err) {
        // A write that fails (a constraint, a lost connection) rolls back alone; the run goes on.
        stats.failed++;
        const reason = `write:${err instanceof Error ? err.name : 'error'}`;
        stats.failures[reason] = (stats.failures[reason] ?? 0) + 1;
        await releaseRefreshClaims(deps.db, [p.id]).catch(() => undefined);
      }
      done++;
      onDone?.(done);
      // PGlite runs on this thread: let HTTP requests and timers breathe between packages.
      await yieldToLoop();
    }
  }
  const after = deps.http.requestCounts();
  addCounts(stats.requests.byHost, after.byHost, before.byHost);
  addCounts(stats.requests.byKey, after.byKey, before.byKey);
  return stats;
}

/** How many stale packages one tick takes so that all are refreshed once per REFRESH_HOURS, evenly. */
export function spreadLimit(activeCount: number, refreshHours: number, tickSeconds: number): number {
  const ticks = Math.max(1, (refreshHours * 3600) / tickSeconds);
  return Math.ceil(activeCount / ticks);
}

export interface TickOptions {
  tickSeconds: number;
  /** Cap on requested packages per tick (a bulk import should not starve everything else). Default 500. */
  maxRequested?: number;
  /** Cap on stale packages per tick (a fresh database catches up over a few ticks). Default 1000. */
  maxStale?: number;
}

/** One scheduler tick: requested packages first, then the oldest stale ones, spread evenly over REFRESH_HOURS. */
export async function refreshTick(deps: RefreshDeps, opts: TickOptions): Promise<RefreshStats> {
  const now = (deps.now ?? nowIso)();
  const lease = deps.leaseSeconds ?? 600;
  const stats = emptyStats();
  const requested = await claimForRefresh(deps.db, { kind: 'requested' }, opts.maxRequested ?? 500, now, lease);
  mergeStats(stats, await refreshClaimed(deps, requested));
  const limit = Math.min(opts.maxStale ?? 1000, spreadLimit(await countRefreshable(deps.db), deps.refreshHours, opts.tickSeconds));
  const staleBefore = new Date(timestampToMillis(now) - deps.refreshHours * 3_600_000).toISOString();
  const stale = await claimForRefresh(deps.db, { kind: 'stale', staleBefore }, limit, now, lease);
  mergeStats(stats, await refreshClaimed(deps, stale));
  return stats;
}

/** Refreshes exactly these packages (the CLI's selection), claiming them chunk by chunk; ones held elsewhere are skipped. */
export async function refreshIds(
  deps: RefreshDeps,
  ids: readonly number[],
  onProgress?: (done: number, total: number) => void,
): Promise<RefreshStats> {
  const stats = emptyStats();
  const chunk = deps.chunkSize ?? 100;
  let done = 0;
  for (let i = 0; i < ids.length; i += chunk) {
    const part = ids.slice(i, i + chunk);
    const filter: ClaimFilter = { kind: 'ids', ids: part };
    const claimed = await claimForRefresh(deps.db, filter, part.length, (deps.now ?? nowIso)(), deps.leaseSeconds ?? 600);
    const base = done;
    mergeStats(stats, await refreshClaimed(deps, claimed, (n) => onProgress?.(base + n, ids.length)));
    done += part.length;
    onProgress?.(done, ids.length);
  }
  return stats;
}
