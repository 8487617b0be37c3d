import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpClientOptions } from './http.js';
import { createHttpClient, HostNotAllowedError, isPrivateAddress, NetworkError, RateLimitedError } from './http.js';

// A tiny scripted server: each path answers as the test says, and every request is logged.
const log: { path: string; ua: string | undefined; inm: string | undefined }[] = [];
let calls = new Map<string, number>();
let base = '';
const server = createServer((req, res) => {
  const path = req.url ?? '/';
  log.push({ path, ua: req.headers['user-agent'], inm: req.headers['if-none-match'] as string | undefined });
  const n = (calls.get(path) ?? 0) + 1;
  calls.set(path, n);
  if (path === '/flaky' && n < 3) {
    res.writeHead(503).end();
    return;
  }
  if (path === '/always500') return void res.writeHead(500).end('{}');
  if (path === '/hang') return;
  if (path === '/reset') return void req.socket.destroy();
  if (path === '/429') return void res.writeHead(429, { 'retry-after': '30' }).end('{}');
  if (path === '/secondary') return void res.writeHead(403).end('{"message":"You have exceeded a secondary rate limit."}');
  if (path === '/exhausted')
    return void res
      .writeHead(200, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 600) })
      .end('{}');
  if (path.startsWith('/quota/')) {
    const remaining = path.slice('/quota/'.length);
    return void res
      .writeHead(200, {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': remaining,
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 600),
      })
      .end('{}');
  }
  if (path === '/etag') {
    if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304, { etag: '"v1"' }).end();
    return void res.writeHead(200, { etag: '"v1"' }).end('{"a":1}');
  }
  if (path === '/moved') return void res.writeHead(301, { location: '/etag' }).end();
  if (path === '/escape') return void res.writeHead(302, { location: 'http://10.1.2.3/' }).end();
  res.writeHead(200).end('{"ok":true}');
});

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const client = (extra: Partial<HttpClientOptions> = {}) =>
  createHttpClient({
    siteUrl: 'https://packgrid.test',
    baseUrls: [base],
    timeoutMs: 5_000,
    retryBaseDelayMs: 2,
    retryMaxDelayMs: 5,
    ...extra,
  });

describe('http client', () => {
  it('sends the User-Agent and counts requests per host and key', async () => {
    const http = client();
    const res = await http.request(`${base}/hello`, { key: 'test' });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    expect(log.at(-1)?.ua).toBe('packgrid/0.1 (+https://packgrid.test)');
    expect(http.requestCounts().byKey).toEqual({ test: 1 });
    expect(http.requestCounts().byHost[new URL(base).host]).toBe(1);
  });

  it('retries 5xx with backoff and succeeds', async () => {
    calls = new Map();
    const http = client();
    const res = await http.request(`${base}/flaky`);
    expect(res.status).toBe(200);
    expect(calls.get('/flaky')).toBe(3);
  });

  it('returns the last 5xx after the configured retries', async () => {
    calls = new Map();
    const res = await client({ retries: 1 }).request(`${base}/always500`);
    expect(res.status).toBe(500);
    expect(calls.get('/always500')).toBe(2);
  });

  it('turns timeouts and resets into retryable NetworkErrors', async () => {
    const http = client({ retries: 0, timeoutMs: 200 });
    await expect(http.request(`${base}/hang`)).rejects.toMatchObject({ name: 'NetworkError', timedOut: true, retryable: true });
    await expect(http.request(`${base}/reset`)).rejects.toBeInstanceOf(NetworkError);
  });

  it('turns 429 and secondary-limit 403 into RateLimitedError and pauses the key', async () => {
    const http = client();
    const err = await http.request(`${base}/429`, { key: 'gh' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(err instanceof RateLimitedError && Date.parse(err.resetAt) > Date.now() + 20_000).toBe(true);
    expect(http.isPaused('gh')).toBe(true);
    calls = new Map();
    await expect(http.request(`${base}/hello`, { key: 'gh' })).rejects.toBeInstanceOf(RateLimitedError);
    expect(calls.get('/hello')).toBeUndefined();
    await expect(http.request(`${base}/secondary`, { key: 'other' })).rejects.toBeInstanceOf(RateLimitedError);
    expect(http.isPaused('other')).toBe(true);
  });

  it('pauses when X-RateLimit-Remaining hits 0 but still returns that answer', async () => {
    const http = client();
    const res = await http.request(`${base}/exhausted`, { key: 'q' });
    expect(res.status).toBe(200);
    expect(res.rateLimit.remaining).toBe(0);
    expect(http.isPaused('q')).toBe(true);
  });

  it('keeps a reserve of each quota: pauses at 10% of the limit left, not only at zero', async () => {
    const http = client();
    await http.request(`${base}/quota/600`, { key: 'budget' });
    expect(http.isPaused('budget')).toBe(false);
    await http.request(`${base}/quota/500`, { key: 'budget' });
    expect(http.isPaused('budget')).toBe(true);
    await expect(http.request(`${base}/quota/4999`, { key: 'budget' })).rejects.toBeInstanceOf(RateLimitedError);
    const generous = client({ reserveFraction: 0 });
    await generous.request(`${base}/quota/11`, { key: 'b2' });
    expect(generous.isPaused('b2')).toBe(false);
    await generous.request(`${base}/quota/10`, { key: 'b2' });
    expect(generous.isPaused('b2')).toBe(true);
  });

  it('sends If-None-Match and returns 304 cheaply, following redirects', async () => {
    const http = client();
    const a = await http.request(`${base}/moved`);
    expect(a.redirected).toBe(true);
    expect(a.etag).toBe('"v1"');
    const b = await http.request(`${base}/etag`, { etag: '"v1"' });
    expect(b.status).toBe(304);
    expect(log.at(-1)?.inm).toBe('"v1"');
  });

  it('refuses hosts that are not known code hosts or configured', async () => {
    const http = createHttpClient({ siteUrl: 'https://x.test' });
    await expect(http.request(`${base}/hello`)).rejects.toBeInstanceOf(HostNotAllowedError);
    await expect(http.request('https://evil.example/x')).rejects.toBeInstanceOf(HostNotAllowedError);
    await expect(http.request('file:///etc/passwd')).rejects.toBeInstanceOf(HostNotAllowedError);
  });

  it('refuses self-hosted hosts that resolve to private or loopback addresses', async () => {
    const http = createHttpClient({
      siteUrl: 'https://x.test',
      lookup: async (h) => (h === 'git.internal.example' ? ['10.0.0.5'] : ['127.0.0.1']),
    });
    await expect(http.request('https://git.internal.example/api/v4/projects/a%2Fb', { selfHosted: true })).rejects.toBeInstanceOf(
      HostNotAllowedError,
    );
    await expect(http.request('http://localhost:8080/', { selfHosted: true })).rejects.toBeInstanceOf(HostNotAllowedError);
    await expect(http.request('http://169.254.169.254/latest/meta-data', { selfHosted: true })).rejects.toBeInstanceOf(HostNotAllowedError);
    await expect(http.request(`${base}/hello`, { selfHosted: true })).rejects.toBeInstanceOf(HostNotAllowedError);
  });

  it('checks the address a self-hosted name has when connecting, not only before (DNS rebinding)', async () => {
    // The name answers with a public address for the check, then with loopback for the connection.
    let answers = 0;
    const http = createHttpClient({
      siteUrl: 'https://x.test',
      lookup: async () => (++answers === 1 ? ['93.184.216.34'] : ['127.0.0.1']),
      retries: 0,
    });
    const port = new URL(base).port;
    const before = log.length;
    await expect(http.request(`http://rebind.example:${port}/hello`, { selfHosted: true })).rejects.toBeInstanceOf(HostNotAllowedError);
    expect(answers).toBe(2);
    expect(log.length).toBe(before);
  });

  it('a self-hosted name whose address passes at connect time is fetched through the guarded connection', async () => {
    const resolved: string[] = [];
    const http = createHttpClient({
      siteUrl: 'https://x.test',
      lookup: async (h) => {
        resolved.push(h);
        return ['127.0.0.1'];
      },
      // Only for this test: the local server stands in for a public self-hosted instance.
      addressAllowed: (a) => a === '127.0.0.1',
    });
    const port = new URL(base).port;
    const res = await http.request(`http://git.example:${port}/etag`, { selfHosted: true, etag: '"v1"' });
    expect(res.status).toBe(304);
    expect(res.etag).toBe('"v1"');
    expect(log.at(-1)?.inm).toBe('"v1"');
    expect(log.at(-1)?.ua).toContain('packgrid/');
    expect(resolved).toEqual(['git.example', 'git.example']);
    const ok = await http.request(`http://git.example:${port}/hello`, { selfHosted: true });
    expect(ok.status).toBe(200);
  });

  it('checks every redirect hop against the allow-list', async () => {
    await expect(client().request(`${base}/escape`)).rejects.toBeInstanceOf(HostNotAllowedError);
  });

  it('classifies addresses', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.1.1',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
    ]) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ['140.82.112.3', '151.101.0.223', '2606:4700::6810:85e5']) expect(isPrivateAddress(a), a).toBe(false);
  });
});
