// Small helpers shared by the upstream folders: reading untyped JSON safely, Link headers, bounded
// concurrency, and turning client errors into result values (a failed fetch is a value, never a throw).
import { HostNotAllowedError, HttpClientError, RateLimitedError } from './http.js';
import type { RepoRef, RepoResult } from './fetcher.js';

export type Json = Record<string, unknown>;

/** Narrows an unknown JSON value to an object, or null. */
export function asObject(value: unknown): Json | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;
}

/** Reads a string field (null/absent → fallback). */
export function str(o: Json | null, key: string, fallback = ''): string {
  const v = o?.[key];
  return typeof v === 'string' ? v : fallback;
}

/** Reads a string field, keeping null distinct from empty. */
export function strOrNull(o: Json | null, key: string): string | null {
  const v = o?.[key];
  return typeof v === 'string' ? v : null;
}

/** Reads a finite number field (else fallback). */
export function num(o: Json | null, key: string, fallback = 0): number {
  const v = o?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/** Reads a boolean field (else false). */
export function bool(o: Json | null, key: string): boolean {
  return o?.[key] === true;
}

/** Narrows an unknown value to an array (else empty). */
export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Returns the URL of a `rel` link in an RFC 8288 Link header. */
export function linkRel(header: string | null, rel: string): string | null {
  if (header === null) return null;
  for (const part of header.split(',')) {
    const m = /<([^>]+)>\s*;(.*)/.exec(part.trim());
    if (m?.[1] !== undefined && new RegExp(`rel="?([^"]*\\s)?${rel}(\\s[^"]*)?"?`).test(m[2] ?? '')) return m[1];
  }
  return null;
}

/** Reads the `page` query parameter of a URL (used for GitHub's rel="last" commit-count trick). */
export function pageParam(url: string | null): number | null {
  if (url === null) return null;
  try {
    const v = Number(new URL(url).searchParams.get('page'));
    return Number.isInteger(v) && v > 0 ? v : null;
  } catch {
    return null;
  }
}

/** Maps items through an async function with at most `limit` in flight, keeping order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    for (;;) {
      const i = next++;
      const item = items[i];
      if (i >= items.length || item === undefined) return;
      out[i] = await fn(item);
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, () => worker()));
  return out;
}

/** An error result with a short reason; `retryable` false for bad input that will not fix itself. */
export type FailureResult = { kind: 'error'; reason: string; retryable: boolean } | { kind: 'rate_limited'; resetAt: string };

/** Converts anything thrown during a fetch into an error or rate_limited result. */
export function failureFrom(err: unknown): FailureResult {
  if (err instanceof RateLimitedError) return { kind: 'rate_limited', resetAt: err.resetAt };
  if (err instanceof HostNotAllowedError) return { kind: 'error', reason: err.message, retryable: false };
  if (err instanceof HttpClientError) return { kind: 'error', reason: err.message, retryable: err.retryable };
  if (err instanceof UpstreamStatusError) return { kind: 'error', reason: err.message, retryable: err.retryable };
  return { kind: 'error', reason: err instanceof Error ? err.message : String(err), retryable: true };
}

/** An unexpected HTTP status from an upstream (5xx after retries, 4xx other than 404). */
export class UpstreamStatusError extends Error {
  override readonly name = 'UpstreamStatusError';
  readonly retryable: boolean;
  constructor(
    readonly status: number,
    url: string,
  ) {
    super(`HTTP ${status} from ${url}`);
    // 4xx other than 404/429 usually means a bad request or a private repo: retrying soon will not help.
    this.retryable = status >= 500 || status === 408;
  }
}

/** Thrown inside a fetcher when the repository does not exist; caught and turned into not_found. */
export class NotFoundSignal extends Error {
  override readonly name = 'NotFoundSignal';
}

/** Throws for anything but the accepted statuses: 404/410 → NotFoundSignal, others → UpstreamStatusError. */
export function expectStatus(res: { status: number; url: string }, ok: readonly number[]): void {
  if (ok.includes(res.status)) return;
  if (res.status === 404 || res.status === 410) throw new NotFoundSignal(res.url);
  throw new UpstreamStatusError(res.status, res.url);
}

/** Deduplicates while keeping the first occurrence's position. */
export function uniqueInOrder(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

/**
 * Fetches each repository with bounded concurrency, turning a 404 signal into not_found and any other failure into
 * an error result, so one bad package never stops the others (the contract: fetchMany never throws).
 */
export async function fetchEachRef(
  refs: readonly RepoRef[],
  concurrency: number,
  fetchOne: (repoUrl: string, state: RepoRef['state']) => Promise<RepoResult>,
): Promise<Map<number, RepoResult>> {
  const results = await mapLimit(refs, concurrency, async (ref): Promise<RepoResult> => {
    try {
      return await fetchOne(ref.repoUrl, ref.state);
    } catch (err) {
      if (err instanceof NotFoundSignal) return { kind: 'not_found' };
      return failureFrom(err);
    }
  });
  const out = new Map<number, RepoResult>();
  refs.forEach((ref, i) => out.set(ref.packageId, results[i] ?? { kind: 'error', reason: 'lost', retryable: true }));
  return out;
}
