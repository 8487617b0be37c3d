// The only outbound HTTP client (house rule 5). Every upstream call goes through one instance made by
// createHttpClient, so timeouts, retries, rate-limit pauses, the host allow-list and request counts are
// enforced in one place and each test or worker gets isolated state (no module-level singletons).
import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';

/** Base class of every error this client throws; `retryable` says whether a later attempt may succeed. */
export class HttpClientError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** The upstream asked us to slow down (429, secondary-limit 403, exhausted quota); retry after `resetAt`. */
export class RateLimitedError extends HttpClientError {
  override readonly name = 'RateLimitedError';
  constructor(
    readonly key: string,
    readonly resetAt: string,
  ) {
    super(`rate limited by ${key} until ${resetAt}`, true);
  }
}

/** The URL's host is not on the allow-list, or resolves to a loopback/private address. */
export class HostNotAllowedError extends HttpClientError {
  override readonly name = 'HostNotAllowedError';
  constructor(
    readonly host: string,
    reason: string,
  ) {
    super(`host ${host} not allowed: ${reason}`, false);
  }
}

/** Connection refused/reset, DNS failure or timeout after all retries. */
export class NetworkError extends HttpClientError {
  override readonly name = 'NetworkError';
  constructor(
    message: string,
    readonly timedOut: boolean,
  ) {
    super(message, true);
  }
}

/** A body that should have been JSON was not (truncated or an HTML error page). */
export class MalformedResponseError extends HttpClientError {
  override readonly name = 'MalformedResponseError';
  constructor(readonly url: string) {
    super(`malformed JSON from ${url}`, true);
  }
}

/** Code hosts and registries that may always be contacted. */
export const KNOWN_HOSTS: readonly string[] = [
  'api.github.com',
  'github.com',
  'gitlab.com',
  'api.bitbucket.org',
  'bitbucket.org',
  'codeberg.org',
  'pypi.org',
];

export interface HttpClientOptions {
  /** Goes into the User-Agent so upstream operators can reach us. */
  siteUrl: string;
  /** Configured base URLs (GITHUB_API_URL, PYPI_URL, ...): their hosts are allowed even on private addresses. */
  baseUrls?: readonly string[];
  /** Extra explicitly allowed hosts (host or host:port), trusted like base URLs. */
  allowedHosts?: readonly string[];
  /** Whether unlisted hosts from a repo URL (self-hosted GitLab/Forgejo) may be contacted when public. Default true. */
  allowSelfHosted?: boolean;
  timeoutMs?: number;
  /** Extra attempts after the first on 5xx, network errors and timeouts. Default 2. */
  retries?: number;
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /**
   * The share of each upstream's quota packgrid leaves untouched: once the remaining requests fall to this
   * fraction of the limit (and never below 10, as the original), that upstream pauses until its reset. Default 0.1.
   */
  reserveFraction?: number;
  maxRedirects?: number;
  /** DNS resolver (injectable so tests can pretend a name resolves to a private address). */
  lookup?: (hostname: string) => Promise<string[]>;
  /** Which resolved addresses a self-hosted name may have; default: none private or loopback (tests widen it). */
  addressAllowed?: (address: string) => boolean;
  random?: () => number;
  now?: () => number;
}

export interface HttpRequestOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Sent as If-None-Match; a 304 answer comes back as status 304 with an empty body. */
  etag?: string | undefined;
  timeoutMs?: number;
  retries?: number;
  /** The host came from a user's repo URL of a self-hosted instance: allowed only if it resolves publicly. */
  selfHosted?: boolean;
  /**
   * Rate-limit and counting key (e.g. 'github', 'github-graphql'); defaults to the URL's host. GitHub's REST and
   * GraphQL quotas are separate, and in tests every fake upstream shares one host, so hosts alone are too coarse.
   */
  key?: string;
}

export interface RateLimitInfo {
  limit: number | null;
  remaining: number | null;
  resetAt: string | null;
}

export interface HttpResponse {
  status: number;
  /** Final URL after redirects. */
  url: string;
  redirected: boolean;
  headers: Headers;
  text: string;
  etag: string | null;
  rateLimit: RateLimitInfo;
  /** Parses the body; throws MalformedResponseError. */
  json(): unknown;
}

export interface RequestCounts {
  byHost: Record<string, number>;
  byKey: Record<string, number>;
}

export interface HttpClient {
  request(url: string, options?: HttpRequestOptions): Promise<HttpResponse>;
  /** True while `key` (a request key or host) is paused by a rate limit. */
  isPaused(key: string): boolean;
  pausedUntil(key: string): string | null;
  pause(key: string, untilIso: string): void;
  requestCounts(): RequestCounts;
  resetCounts(): void;
}

const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);
const DNS_CACHE_MS = 5 * 60_000;

const privateRanges = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  privateRanges.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  privateRanges.addSubnet(net, prefix, 'ipv6');
}

/** True for loopback, private, link-local, CGNAT, multicast and unspecified addresses (IPv4, IPv6, v4-mapped). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1] !== undefined) return isPrivateAddress(mapped[1]);
  const family = isIP(address);
  if (family === 0) return true;
  return privateRanges.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

function hostOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return '';
  }
}

async function defaultLookup(hostname: string): Promise<string[]> {
  const rows = await dnsLookup(hostname, { all: true });
  return rows.map((r) => r.address);
}

/** Raised inside a connection attempt whose name now resolves to a private address. */
class PrivateAtConnectError extends Error {
  constructor(readonly hostname: string) {
    super(`${hostname} resolves to a private or loopback address`);
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * An agent whose connections look the name up again and refuse a private or loopback answer. checkHost resolves a
 * self-hosted name before the request; without this, a name could answer with a public address for the check and a
 * private one for the connection a moment later (DNS rebinding).
 */
function guardedAgent(lookup: (hostname: string) => Promise<string[]>, allowed: (address: string) => boolean): Agent {
  const guardedLookup = (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    lookup(hostname).then(
      (addresses) => {
        if (addresses.length === 0 || !addresses.every(allowed)) {
          callback(new PrivateAtConnectError(hostname), []);
          return;
        }
        const all = addresses.map((address) => ({ address, family: isIP(address) === 6 ? 6 : 4 }));
        const first = all[0];
        if (options.all === true || first === undefined) callback(null, all);
        else callback(null, first.address, first.family);
      },
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err)), []),
    );
  };
  return new Agent({ connect: { lookup: guardedLookup } });
}

/** What one request sends. */
interface OutgoingRequest {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
  readonly signal: AbortSignal;
}

/** The response parts the client reads, from either fetch. */
interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return nowMs + Math.max(0, seconds) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : date;
}

function readRateLimit(headers: Headers): RateLimitInfo {
  const limitRaw = headers.get('x-ratelimit-limit') ?? headers.get('ratelimit-limit');
  const limit = limitRaw === null ? null : Number(limitRaw);
  const remainingRaw = headers.get('x-ratelimit-remaining') ?? headers.get('ratelimit-remaining');
  const resetRaw = headers.get('x-ratelimit-reset') ?? headers.get('ratelimit-reset');
  const remaining = remainingRaw === null ? null : Number(remainingRaw);
  const reset = resetRaw === null ? null : Number(resetRaw);
  return {
    limit: limit !== null && Number.isFinite(limit) ? limit : null,
    remaining: remaining !== null && Number.isFinite(remaining) ? remaining : null,
    // GitHub and GitLab both send epoch seconds.
    resetAt: reset !== null && Number.isFinite(reset) ? new Date(reset * 1000).toISOString() : null,
  };
}

/** Creates an isolated HTTP client with its own allow-list, pause map and request counters. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const userAgent = `packgrid/0.1 (+${options.siteUrl})`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retries = options.retries ?? 2;
  const baseDelay = options.retryBaseDelayMs ?? 500;
  const maxDelay = options.retryMaxDelayMs ?? 10_000;
  const reserveFraction = options.reserveFraction ?? 0.1;
  const maxRedirects = options.maxRedirects ?? 5;
  const lookup = options.lookup ?? defaultLookup;
  const addressAllowed = options.addressAllowed ?? ((a: string) => !isPrivateAddress(a));
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const allowSelfHosted = options.allowSelfHosted ?? true;

  const trusted = new Set<string>();
  for (const base of options.baseUrls ?? []) {
    const h = hostOf(base);
    if (h !== '') trusted.add(h);
  }
  for (const h of options.allowedHosts ?? []) trusted.add(h.toLowerCase());
  const known = new Set(KNOWN_HOSTS);

  const paused = new Map<string, number>();
  const byHost = new Map<string, number>();
  const byKey = new Map<string, number>();
  const dnsCache = new Map<string, { at: number; ok: boolean }>();

  function pausedUntilMs(key: string): number | null {
    const until = paused.get(key);
    if (until === undefined) return null;
    if (until <= now()) {
      paused.delete(key);
      return null;
    }
    return until;
  }

  function pause(key: string, untilMs: number): void {
    const current = paused.get(key) ?? 0;
    if (untilMs > current) paused.set(key, untilMs);
  }

  /** Refuses a host outside the allow-list; true when the connection must re-check its address (a self-hosted name). */
  async function checkHost(url: URL, selfHosted: boolean): Promise<boolean> {
    const host = url.host.toLowerCase();
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new HostNotAllowedError(host, `scheme ${url.protocol} not allowed`);
    }
    if (trusted.has(host) || trusted.has(url.hostname.toLowerCase())) return false;
    if (known.has(url.hostname.toLowerCase())) return false;
    if (!selfHosted || !allowSelfHosted) throw new HostNotAllowedError(host, 'not a known code host or registry');
    // Self-hosted instance typed by a user: refuse anything that lands inside our network (SSRF).
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(hostname) !== 0) {
      if (isPrivateAddress(hostname)) throw new HostNotAllowedError(host, 'private or loopback address');
      return false;
    }
    const cached = dnsCache.get(hostname);
    let ok: boolean;
    if (cached !== undefined && now() - cached.at < DNS_CACHE_MS) {
      ok = cached.ok;
    } else {
      let addresses: string[];
      try {
        addresses = await lookup(hostname);
      } catch {
        throw new NetworkError(`cannot resolve ${hostname}`, false);
      }
      ok = addresses.length > 0 && addresses.every(addressAllowed);
      dnsCache.set(hostname, { at: now(), ok });
    }
    if (!ok) throw new HostNotAllowedError(host, 'resolves to a private or loopback address');
    return true;
  }

  let agent: Agent | undefined;
  /** One request with no redirect following; a self-hosted name goes through the guarded agent. */
  async function send(url: URL, req: OutgoingRequest, guarded: boolean): Promise<RawResponse> {
    const init = { method: req.method, headers: req.headers, body: req.body ?? null, redirect: 'manual' as const, signal: req.signal };
    if (!guarded) {
      const res = await fetch(url, init);
      return { status: res.status, headers: res.headers, text: await res.text() };
    }
    agent ??= guardedAgent(lookup, addressAllowed);
    const res = await undiciFetch(url, { ...init, dispatcher: agent });
    return { status: res.status, headers: new Headers([...res.headers]), text: await res.text() };
  }

  function count(host: string, key: string): void {
    byHost.set(host, (byHost.get(host) ?? 0) + 1);
    byKey.set(key, (byKey.get(key) ?? 0) + 1);
  }

  function backoff(attempt: number): Promise<void> {
    // Exponential with "equal jitter": half fixed, half random, so synchronized workers spread out.
    const capped = Math.min(maxDelay, baseDelay * 2 ** attempt);
    const ms = capped / 2 + (random() * capped) / 2;
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  async function once(url: string, opts: HttpRequestOptions, key: string): Promise<HttpResponse> {
    let current = new URL(url);
    let redirected = false;
    const headers: Record<string, string> = {
      'user-agent': userAgent,
      accept: 'application/json',
      ...opts.headers,
    };
    if (opts.etag !== undefined && opts.etag !== '') headers['if-none-match'] = opts.etag;
    const signal = AbortSignal.timeout(opts.timeoutMs ?? timeoutMs);
    for (let hop = 0; ; hop++) {
      const guarded = await checkHost(current, opts.selfHosted ?? false);
      count(current.host.toLowerCase(), key);
      let res: RawResponse;
      try {
        res = await send(current, { method: opts.method ?? 'GET', headers, body: opts.body, signal }, guarded);
      } catch (err) {
        if (err instanceof Error && err.cause instanceof PrivateAtConnectError) {
          throw new HostNotAllowedError(current.host.toLowerCase(), 'resolved to a private or loopback address when connecting');
        }
        const timedOut = signal.aborted;
        const cause = err instanceof Error ? err.message : String(err);
        throw new NetworkError(
          timedOut ? `timeout after ${opts.timeoutMs ?? timeoutMs}ms: ${current.href}` : `${cause}: ${current.href}`,
          timedOut,
        );
      }
      const location = res.headers.get('location');
      if ([301, 302, 303, 307, 308].includes(res.status) && location !== null) {
        // Followed by hand so every hop passes the allow-list and callers can see a rename (301).
        if (hop >= maxRedirects) throw new HttpClientError(`too many redirects: ${url}`, false);
        current = new URL(location, current);
        redirected = true;
        continue;
      }
      const finalUrl = current.href;
      const { text } = res;
      return {
        status: res.status,
        url: finalUrl,
        redirected,
        headers: res.headers,
        text,
        etag: res.headers.get('etag'),
        rateLimit: readRateLimit(res.headers),
        json(): unknown {
          try {
            return JSON.parse(text) as unknown;
          } catch {
            throw new MalformedResponseError(finalUrl);
          }
        },
      };
    }
  }

  function handleRateLimit(res: HttpResponse, key: string): void {
    const nowMs = now();
    const retryAfter = parseRetryAfter(res.headers.get('retry-after'), nowMs);
    const resetMs = res.rateLimit.resetAt === null ? null : Date.parse(res.rateLimit.resetAt);
    const secondary = res.status === 403 && (retryAfter !== null || /secondary rate limit/i.test(res.text));
    const primary = (res.status === 403 || res.status === 429) && res.rateLimit.remaining === 0;
    if (res.status === 429 || secondary || primary) {
      // Without any hint, GitHub's docs say to wait at least a minute.
      const until = retryAfter ?? resetMs ?? nowMs + 60_000;
      pause(key, until);
      throw new RateLimitedError(key, new Date(until).toISOString());
    }
    // The budget: stop while a reserve of the quota is left, so a shared token keeps working for its owner.
    const { limit, remaining } = res.rateLimit;
    const reserve = limit === null ? 0 : Math.max(10, Math.floor(limit * reserveFraction));
    if (remaining !== null && resetMs !== null && remaining <= reserve) pause(key, resetMs);
  }

  return {
    async request(url, opts = {}) {
      const key = opts.key ?? hostOf(url);
      const until = pausedUntilMs(key);
      if (until !== null) throw new RateLimitedError(key, new Date(until).toISOString());
      const maxAttempts = 1 + (opts.retries ?? retries);
      for (let attempt = 0; ; attempt++) {
        let res: HttpResponse;
        try {
          res = await once(url, opts, key);
        } catch (err) {
          if (err instanceof NetworkError && err.retryable && attempt + 1 < maxAttempts) {
            await backoff(attempt);
            continue;
          }
          throw err;
        }
        handleRateLimit(res, key);
        if (RETRYABLE_STATUS.has(res.status) && attempt + 1 < maxAttempts) {
          await backoff(attempt);
          continue;
        }
        return res;
      }
    },
    isPaused(key) {
      return pausedUntilMs(key) !== null;
    },
    pausedUntil(key) {
      const until = pausedUntilMs(key);
      return until === null ? null : new Date(until).toISOString();
    },
    pause(key, untilIso) {
      const ms = Date.parse(untilIso);
      if (!Number.isNaN(ms)) pause(key, ms);
    },
    requestCounts() {
      return { byHost: Object.fromEntries(byHost), byKey: Object.fromEntries(byKey) };
    },
    resetCounts() {
      byHost.clear();
      byKey.clear();
    },
  };
}
