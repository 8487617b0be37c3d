import { createHash } from 'node:crypto';
import { onDataChange } from '../history/history.service.js';
import { timestampToMillis } from '../lib/datetime.js';
import type { BrowsableExtras } from './browsable/render.js';

/** A rendered compact-JSON response, ready to send as is (no stringify, hash or copy per request). */
export interface PreparedResponse {
  value: unknown;
  buffer: Buffer;
  etag: string;
  lastModifiedMs: number | undefined;
  lastModifiedHttp: string | undefined;
  extras: BrowsableExtras | undefined;
}

/** The strong ETag of a body. */
export function etagOf(body: string | Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;
}

/** Renders a value once into everything the fast path sends. */
export function prepare(value: unknown, json: string, lastModified: string | null | undefined, extras?: BrowsableExtras): PreparedResponse {
  const buffer = Buffer.from(json);
  const ms = lastModified ? timestampToMillis(lastModified) : NaN;
  const ok = Number.isFinite(ms);
  return {
    value,
    buffer,
    etag: etagOf(buffer),
    lastModifiedMs: ok ? ms : undefined,
    lastModifiedHttp: ok ? new Date(ms).toUTCString() : undefined,
    extras,
  };
}

const caches = new Set<ResponseCache>();

/**
 * A micro-cache of rendered read responses, one second by default. PGlite runs queries on the event loop, so a hot
 * record served from memory is what lets one process answer thousands of requests a second. Every write through
 * the services clears it at once (via the edit history signal); changes made by other processes (the refresh
 * worker, the CLI) show up within the TTL.
 */
export class ResponseCache {
  private readonly entries = new Map<string, { at: number; res: PreparedResponse }>();
  constructor(
    private readonly ttlMs = 1000,
    private readonly max = 10_000,
  ) {
    caches.add(this);
  }

  /** A fresh entry, or undefined. */
  get(key: string, now: number): PreparedResponse | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    if (now - e.at >= this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e.res;
  }

  /** Stores an entry; a full cache starts over rather than tracking recency. */
  set(key: string, res: PreparedResponse, now: number): void {
    if (this.entries.size >= this.max) this.entries.clear();
    this.entries.set(key, { at: now, res });
  }

  /** Forgets everything. */
  clear(): void {
    this.entries.clear();
  }
}

const perApp = new WeakMap<object, Map<string, ResponseCache>>();

/** The named cache of one app (keyed by its context object, so apps on different databases never share entries). */
export function cacheFor(owner: object, name: string): ResponseCache {
  let byName = perApp.get(owner);
  if (!byName) {
    byName = new Map();
    perApp.set(owner, byName);
  }
  let c = byName.get(name);
  if (!c) {
    c = new ResponseCache();
    byName.set(name, c);
  }
  return c;
}

/** Clears every API response cache (after any write). */
export function clearApiCaches(): void {
  for (const c of caches) c.clear();
}

onDataChange(clearApiCaches);
