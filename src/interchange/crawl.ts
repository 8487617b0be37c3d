import { createHttpClient } from '../fetchers/http.js';
import { ImportSourceError } from './import.service.js';

/** Fetches JSON from an operator-given API. */
export type JsonGetter = (url: string) => Promise<unknown>;

/**
 * A getter through the one outbound HTTP client (timeouts, retries, User-Agent). The operator typed this URL on
 * the command line, so its host is explicitly allowed, even when it is a local or private address.
 */
export function httpJsonGetter(sourceUrl: string, siteUrl: string): JsonGetter {
  const http = createHttpClient({ siteUrl, allowedHosts: [new URL(sourceUrl).host], timeoutMs: 30_000, retries: 2 });
  return async (url) => {
    let res: Awaited<ReturnType<typeof http.request>>;
    try {
      res = await http.request(url, { headers: { accept: 'application/json' } });
    } catch (e) {
      throw new ImportSourceError(`cannot reach ${url}: ${(e as Error).message}`);
    }
    if (res.status < 200 || res.status >= 300) throw new ImportSourceError(`${url} answered HTTP ${res.status}`);
    try {
      return JSON.parse(res.text) as unknown;
    } catch {
      throw new ImportSourceError(`${url} did not answer JSON`);
    }
  };
}

/** Crawls `<base>/packages/?limit=&offset=` page by page, yielding each record with its position. */
export async function* crawlItems(
  baseUrl: string,
  get: JsonGetter,
  pageSize = 100,
): AsyncGenerator<{ where: string; value?: unknown; error?: string }> {
  const base = baseUrl.replace(/\/+$/, '') + '/';
  const origin = new URL(base).origin;
  let url: string | null = `${base}packages/?limit=${pageSize}&offset=0`;
  let offset = 0;
  while (url) {
    const page = await get(url);
    if (typeof page !== 'object' || page === null || !Array.isArray((page as { results?: unknown }).results)) {
      throw new ImportSourceError(`${url} is not a djangopackages-compatible package list ({count, next, previous, results})`);
    }
    const { results, next } = page as { results: unknown[]; next?: unknown };
    for (let i = 0; i < results.length; i++) yield { where: `offset ${offset + i}`, value: results[i] };
    offset += results.length;
    if (typeof next !== 'string' || results.length === 0) break;
    // Follow `next` only on the same origin; otherwise keep paging here by offset.
    url = new URL(next, base).origin === origin ? new URL(next, base).toString() : `${base}packages/?limit=${pageSize}&offset=${offset}`;
  }
}
