import { withQuery } from './links.js';

/** A page window from `?limit=&offset=`. */
export interface PageWindow {
  limit: number;
  offset: number;
}

/** DRF's default page size. */
export const DEFAULT_LIMIT = 20;

function positiveInt(raw: unknown, strict: boolean): number | undefined {
  if (typeof raw !== 'string') return undefined;
  // Python's int() accepts surrounding spaces and a leading '+'.
  if (!/^\s*\+?\d+\s*$/.test(raw)) return undefined;
  const n = Number(raw.trim());
  if (!Number.isSafeInteger(n)) return undefined;
  if (strict && n === 0) return undefined;
  return n;
}

/**
 * LimitOffsetPagination's reading of the query: a bad or zero limit falls back to the default, a bad offset to 0.
 * Unlike the original, limit is capped at `maxLimit` (API_MAX_LIMIT) so one request cannot dump the whole table.
 */
export function parseWindow(query: Record<string, unknown>, maxLimit: number): PageWindow {
  const limit = Math.min(positiveInt(query.limit, true) ?? DEFAULT_LIMIT, maxLimit);
  const offset = positiveInt(query.offset, false) ?? 0;
  return { limit, offset };
}

/** The `next` link, or null on the last page. */
export function nextLink(url: string, w: PageWindow, count: number): string | null {
  if (w.offset + w.limit >= count) return null;
  return withQuery(url, { limit: String(w.limit), offset: String(w.offset + w.limit) });
}

/** The `previous` link, or null on the first page; it drops `offset` when it would be 0. */
export function previousLink(url: string, w: PageWindow): string | null {
  if (w.offset <= 0) return null;
  if (w.offset - w.limit <= 0) return withQuery(url, { limit: String(w.limit), offset: undefined });
  return withQuery(url, { limit: String(w.limit), offset: String(w.offset - w.limit) });
}
