import { ImportSourceError } from './import.service.js';

/** Fetches JSON from an operator-given API; one place so the CLI's only outbound call is easy to audit. */
export type JsonGetter = (url: string) => Promise<unknown>;

/** The default getter: a 30 s timeout, a User-Agent, and a clear error when the API cannot be reached. */
export const fetchJson: JsonGetter = async (url) => {
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json', 'user-agent': 'packgrid-import/0.1' }, signal: AbortSignal.timeout(30_000), redirect: 'follow' });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
    throw new ImportSourceError(`cannot reach ${url}: ${cause}`);
  }
  if (!res.ok) throw new ImportSourceError(`${url} answered HTTP ${res.status}`);
  try {
    return (await res.json()) as unknown;
  } catch {
    throw new ImportSourceError(`${url} did not answer JSON`);
  }
};

/** Crawls `<base>/packages/?limit=&offset=` page by page, yielding each record with its position. */
export async function* crawlItems(baseUrl: string, get: JsonGetter = fetchJson, pageSize = 100): AsyncGenerator<{ where: string; value?: unknown; error?: string }> {
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
