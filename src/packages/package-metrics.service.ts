// Applies what the fetchers brought back to one package, in ONE transaction: new metrics land whole or nothing
// changes; a failure is recorded (last_error, error_count, last_error_at) and the package is held back until a
// retry time; the score is recomputed and today's snapshot written in the same transaction.
import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import type { FetchState, RepoResult } from '../fetchers/fetcher.js';
import type { PypiProject, PypiResult } from '../fetchers/pypi/pypi.fetcher.js';
import { timestampToMillis } from '../lib/datetime.js';
import {
  claimPackages,
  clearRequest,
  countActive,
  packageIdsByRepoUrl,
  releaseClaims,
  repoUrlTaken,
  selectCandidateIds,
  updatePackage,
  updateVersionDetails,
  upsertSnapshot,
  upsertVersions,
  type ClaimFilter,
  type ClaimedRow,
  type PackageSet,
} from './package-metrics.repository.js';
import { recomputeScores } from './score.js';

export type { ClaimFilter } from './package-metrics.repository.js';

/** A package a worker holds the lease on. */
export interface ClaimedPackage {
  id: number;
  slug: string;
  repoUrl: string;
  repoHost: string;
  pypiUrl: string;
  /** Per-upstream fetcher state: `{ github: { url, state }, pypi: { name, etag } }`. */
  fetchState: Record<string, unknown>;
  requestedAt: string | null;
  repoMissingCount: number;
  repoMissingSince: string | null;
  errorCount: number;
  documentationUrl: string | null;
}

/** What the fetchers returned for one package (null = that phase does not apply). */
export interface FetchOutcome {
  repo: { host: string; result: RepoResult } | null;
  pypi: { name: string; result: PypiResult } | null;
}

/** How the write went, for the run's summary. */
export interface ApplyResult {
  status: 'fetched' | 'unchanged' | 'failed';
  /** Short failure reasons (e.g. 'github:not_found', 'pypi:http_500'); may be set on a fetched package too (PyPI 404). */
  reasons: string[];
  deprecated: boolean;
  renamedTo: string | null;
}

export interface ApplyOptions {
  now: string;
  refreshHours: number;
  /** Seconds before a package whose statistics were still being computed (HTTP 202) is fetched again. */
  pendingRetrySeconds?: number;
}

const MISSING_DEPRECATE_COUNT = 3;
const MISSING_DEPRECATE_HOURS = 48;
const BASE_BACKOFF_SECONDS = 300;

function toClaimed(r: ClaimedRow): ClaimedPackage {
  return {
    id: r.id,
    slug: r.slug,
    repoUrl: r.repo_url,
    repoHost: r.repo_host,
    pypiUrl: r.pypi_url,
    fetchState: r.fetch_state ?? {},
    requestedAt: r.fetch_requested_at,
    repoMissingCount: r.repo_missing_count,
    repoMissingSince: r.repo_missing_since,
    errorCount: r.error_count,
    documentationUrl: r.documentation_url,
  };
}

/** Claims due packages under a lease (see package-metrics.repository.ts claimPackages). */
export async function claimForRefresh(
  db: Db,
  filter: ClaimFilter,
  limit: number,
  now: string,
  leaseSeconds: number,
): Promise<ClaimedPackage[]> {
  return (await claimPackages(db, filter, limit, now, leaseSeconds)).map(toClaimed);
}

/** Number of active packages with a repo or PyPI URL. */
export function countRefreshable(db: Db): Promise<number> {
  return countActive(db);
}

/** Ids for a foreground refresh (CLI), oldest first. */
export function selectRefreshCandidates(
  db: Db,
  opts: { slug?: string | undefined; staleBefore?: string | undefined; staleHours?: number | undefined; limit?: number | undefined },
): Promise<number[]> {
  return selectCandidateIds(db, opts);
}

/** Gives leases back without writing (a stopping worker). */
export function releaseRefreshClaims(db: Db, ids: readonly number[]): Promise<void> {
  return releaseClaims(db, ids);
}

/** Active packages whose repo_url matches a repository URL, compared lowercase without trailing slash or ".git". */
export function findPackagesByRepoUrl(db: Db, repoUrl: string): Promise<number[]> {
  return packageIdsByRepoUrl(db, normalizeForMatch(repoUrl));
}

/** The comparison form of a repository URL used by the webhook match. */
export function normalizeForMatch(url: string): string {
  return url
    .trim()
    .toLowerCase()
    .replace(/(\.git)?\/*$/, '')
    .replace(/^http:\/\//, 'https://')
    .replace('://www.', '://');
}

/** The state the repo fetcher gave last time, if it was for this same URL (a changed URL starts fresh). */
export function repoStateFor(pkg: ClaimedPackage, host: string): FetchState {
  const entry = asRecord(pkg.fetchState[host]);
  const state = asRecord(entry?.state);
  return entry !== null && state !== null && entry.url === pkg.repoUrl.toLowerCase() ? state : {};
}

/** The PyPI ETag from last time, if it was for this same project name. */
export function pypiEtagFor(pkg: ClaimedPackage, name: string): string | undefined {
  const entry = asRecord(pkg.fetchState.pypi);
  return entry !== null && entry.name === name && typeof entry.etag === 'string' ? entry.etag : undefined;
}

function asRecord(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** Turns an error message into a short, countable reason. */
export function reasonOf(message: string): string {
  if (/timeout/i.test(message)) return 'timeout';
  if (/malformed|not a .* document/i.test(message)) return 'malformed';
  const http = /HTTP (\d{3})/.exec(message);
  if (http?.[1] !== undefined) return `http_${http[1]}`;
  if (/not allowed/i.test(message)) return 'host_not_allowed';
  return 'network';
}

const trunc = (s: string | null, n: number): string | null => (s === null ? null : s.length > n ? s.slice(0, n) : s);

interface Failure {
  phase: string;
  reason: string;
  message: string;
  rateLimitedUntil: string | null;
}

function failureOf(phase: string, r: RepoResult | PypiResult): Failure | null {
  if (r.kind === 'error') return { phase, reason: reasonOf(r.reason), message: r.reason, rateLimitedUntil: null };
  if (r.kind === 'rate_limited')
    return { phase, reason: 'rate_limited', message: `rate limited until ${r.resetAt}`, rateLimitedUntil: r.resetAt };
  return null;
}

/**
 * Writes one package's fetch outcome in one transaction, recomputes its score and writes today's snapshot.
 * A failed phase leaves that phase's stored data exactly as it was.
 */
export async function applyFetchOutcome(db: Db, pkg: ClaimedPackage, outcome: FetchOutcome, opts: ApplyOptions): Promise<ApplyResult> {
  const { now } = opts;
  const set: PackageSet = { fetch_claimed_until: null };
  const state: Record<string, unknown> = { ...pkg.fetchState };
  const failures: Failure[] = [];
  const reasons: string[] = [];
  let changed = false;
  let pending = false;
  let deprecated = false;
  let renamedTo: string | null = null;

  return db.transaction().execute(async (trx) => {
    const repo = outcome.repo;
    if (repo !== null) {
      const r = repo.result;
      const f = failureOf(repo.host, r);
      if (f !== null) failures.push(f);
      if (r.kind === 'ok' || r.kind === 'unchanged') {
        let url = pkg.repoUrl;
        if (r.kind === 'ok') {
          changed = true;
          const m = r.metrics;
          set.repo_watchers = m.stars;
          set.repo_forks = m.forks;
          set.repo_description = m.description;
          set.last_commit_date = m.lastCommitDate;
          set.date_repo_archived = m.archived ? sql<string>`coalesce(date_repo_archived, ${now}::timestamptz)` : null;
          if (m.commitCount !== null) set.commit_count = m.commitCount;
          if (m.participants !== null) set.participants = m.participants;
          if (m.commitsOver52 !== null && m.commitsOver52.length === 52) set.commits_over_52 = m.commitsOver52;
          if (r.pending !== undefined && r.pending.length > 0) pending = true;
          if (r.renamedTo !== undefined && r.renamedTo.length <= 255 && r.renamedTo !== pkg.repoUrl.toLowerCase()) {
            // The unique index allows one package per repository: if another package already points at the new
            // name, this one keeps its URL (an editor has to merge them).
            if (!(await repoUrlTaken(trx, r.renamedTo, pkg.id))) {
              set.repo_url = r.renamedTo;
              url = r.renamedTo;
              renamedTo = r.renamedTo;
            } else {
              reasons.push(`${repo.host}:renamed_target_taken`);
            }
          }
        }
        state[repo.host] = { url: url.toLowerCase(), state: r.state };
        set.repo_missing_count = 0;
        set.repo_missing_since = null;
      } else if (r.kind === 'not_found') {
        const count = pkg.repoMissingCount + 1;
        const since = pkg.repoMissingSince ?? now;
        set.repo_missing_count = count;
        set.repo_missing_since = since;
        const hours = (timestampToMillis(now) - timestampToMillis(since)) / 3_600_000;
        // The original deprecates on the first 404; a repository can be briefly private or mid-transfer.
        if (count >= MISSING_DEPRECATE_COUNT && hours >= MISSING_DEPRECATE_HOURS) {
          set.date_deprecated = now;
          deprecated = true;
        }
        failures.push({
          phase: repo.host,
          reason: 'not_found',
          message: `repository not found (404) ${count} time(s) since ${since}`,
          rateLimitedUntil: null,
        });
      }
    }

    const pypi = outcome.pypi;
    if (pypi !== null) {
      const r = pypi.result;
      const f = failureOf('pypi', r);
      if (f !== null) failures.push(f);
      if (r.kind === 'ok') {
        changed = true;
        await writePypiProject(trx, pkg, r.project, set);
        state.pypi = { name: pypi.name, etag: r.etag };
        set.pypi_error = null;
      } else if (r.kind === 'unchanged') {
        state.pypi = { name: pypi.name, etag: r.etag };
        set.pypi_error = null;
      } else if (r.kind === 'not_found') {
        // Recorded, not silently cleared: pypi_url stays so an editor sees the problem (and a re-publish heals it).
        set.pypi_error = `PyPI project "${pypi.name}" not found (404) at ${now}`;
        reasons.push('pypi:not_found');
      }
    }

    set.fetch_state = JSON.stringify(state);
    for (const f of failures) reasons.push(`${f.phase}:${f.reason}`);
    if (failures.length === 0) {
      set.last_fetched = now;
      set.error_count = 0;
      set.last_error = null;
      set.fetch_retry_at = pending
        ? sql<string>`${now}::timestamptz + make_interval(secs => ${opts.pendingRetrySeconds ?? 120}::int)`
        : null;
    } else {
      set.last_error = trunc(failures.map((f) => `${f.phase}: ${f.message}`).join('; '), 2000);
      set.last_error_at = now;
      const limited = failures.map((f) => f.rateLimitedUntil).filter((t): t is string => t !== null);
      const onlyLimited = limited.length === failures.length;
      // A rate limit is not the package's fault: it waits for the reset without growing its error count.
      if (!onlyLimited) set.error_count = pkg.errorCount + 1;
      const backoff = Math.min(opts.refreshHours * 3600, BASE_BACKOFF_SECONDS * 2 ** Math.min(pkg.errorCount, 16));
      // Wait for the latest reset, but at least a minute (a clock skew must not turn into a hot loop).
      const resetMs = Math.max(...limited.map(timestampToMillis), timestampToMillis(now) + 60_000);
      set.fetch_retry_at = onlyLimited
        ? new Date(resetMs).toISOString()
        : sql<string>`${now}::timestamptz + make_interval(secs => ${Math.round(backoff)}::int)`;
    }
    await updatePackage(trx, pkg.id, set);
    await clearRequest(trx, pkg.id, pkg.requestedAt);
    await recomputeScores(trx, [pkg.id], now);
    await upsertSnapshot(trx, pkg.id, now.slice(0, 10));
    const status: ApplyResult['status'] = failures.length > 0 ? 'failed' : changed ? 'fetched' : 'unchanged';
    return { status, reasons, deprecated, renamedTo };
  });
}

/**
 * Stores a PyPI project: every release (a history with upload times), the current version's licence and status,
 * and the package's PyPI fields. documentation_url is only filled when the stored one is empty, so an editor's
 * value is never clobbered by project_urls (the legacy Django Packages rule; its current code overwrites).
 */
async function writePypiProject(
  trx: Parameters<typeof upsertVersions>[0],
  pkg: ClaimedPackage,
  p: PypiProject,
  set: PackageSet,
): Promise<void> {
  const rows = p.releases
    .filter((r) => r.number !== '' && r.number.length <= 100)
    .map((r) => ({ number: r.number, upload_time: r.uploadTime, hidden: r.yanked }));
  const latest = p.latestVersion.length <= 100 ? p.latestVersion : '';
  if (latest !== '') {
    const i = rows.findIndex((r) => r.number === latest);
    const entry = { number: latest, upload_time: p.latestUploadTime ?? rows[i]?.upload_time ?? null, hidden: false };
    if (i === -1) rows.push(entry);
    else rows[i] = entry;
  }
  const ids = await upsertVersions(trx, pkg.id, rows);
  const latestId = latest === '' ? undefined : ids.get(latest);
  if (latestId !== undefined) {
    await updateVersionDetails(trx, latestId, {
      license: trunc(p.license, 100) ?? 'UNKNOWN',
      licenses: p.licenses,
      development_status: p.developmentStatus,
      supports_python3: p.supportsPython3 === true,
    });
    set.latest_version_id = latestId;
  }
  set.pypi_license = trunc(p.license, 100);
  set.pypi_licenses = p.licenses;
  set.pypi_classifiers = p.classifiers;
  set.pypi_requires_python = trunc(p.requiresPython, 100);
  if (p.supportsPython3 !== null) set.supports_python3 = p.supportsPython3;
  const stored = pkg.documentationUrl ?? '';
  if (stored.trim() === '' && p.documentationUrl !== null && p.documentationUrl.length <= 255) set.documentation_url = p.documentationUrl;
}
