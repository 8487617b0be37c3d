import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDb } from '../../../test/db.js';
import { createTestApp } from '../../../test/app.js';

const H = { host: 'djangopackages.org', 'x-forwarded-proto': 'https' };
const ORIGIN = 'https://djangopackages.org';

describeEachDb(
  'api v4 reads',
  (get) => {
    let app: FastifyInstance;
    let total = 0;
    beforeAll(async () => {
      ({ app } = await createTestApp(get(), {
        TIME_ZONE: 'America/New_York',
        TRUST_PROXY: 'true',
        API_MAX_LIMIT: '50',
        RATE_LIMIT_READS_PER_MINUTE: '0',
      }));
      total = (
        await get()
          .db.selectFrom('packages')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
      total = Number(total);
    });
    afterAll(async () => app.close());

    const json = async (url: string, headers: Record<string, string> = {}) => {
      const res = await app.inject({ url, headers: { ...H, ...headers } });
      return { res, body: JSON.parse(res.body) as Record<string, unknown> };
    };

    describe('root', () => {
      it('lists the resources in the router order, search included', async () => {
        const { res, body } = await json('/api/v4/');
        expect(res.statusCode).toBe(200);
        expect(res.body).toBe(
          `{"packages":"${ORIGIN}/api/v4/packages/","search":"${ORIGIN}/api/v4/search/","grids":"${ORIGIN}/api/v4/grids/","categories":"${ORIGIN}/api/v4/categories/"}`,
        );
        expect(Object.keys(body)).toEqual(['packages', 'search', 'grids', 'categories']);
      });
      it('redirects /api/v4 to /api/v4/', async () => {
        const res = await app.inject({ url: '/api/v4?format=json', headers: H });
        expect(res.statusCode).toBe(301);
        expect(res.headers.location).toBe('/api/v4/?format=json');
      });
    });

    describe('pagination', () => {
      it('gives the envelope, newest id first, 20 by default', async () => {
        const { body } = await json('/api/v4/packages/');
        expect(Object.keys(body)).toEqual(['count', 'next', 'previous', 'results']);
        expect(body.count).toBe(total);
        expect(body.next).toBe(`${ORIGIN}/api/v4/packages/?limit=20&offset=20`);
        expect(body.previous).toBeNull();
        const ids = (body.results as { id: number }[]).map((r) => r.id);
        expect(ids).toHaveLength(20);
        expect([...ids].sort((a, b) => b - a)).toEqual(ids);
      });
      it('keeps other params (sorted, as Django) and drops offset on the way back to 0', async () => {
        const { body } = await json('/api/v4/packages/?format=json&limit=5&offset=5');
        expect(body.next).toBe(`${ORIGIN}/api/v4/packages/?format=json&limit=5&offset=10`);
        expect(body.previous).toBe(`${ORIGIN}/api/v4/packages/?format=json&limit=5`);
        const p2 = await json('/api/v4/packages/?limit=5&offset=12');
        expect(p2.body.previous).toBe(`${ORIGIN}/api/v4/packages/?limit=5&offset=7`);
      });
      it('falls back to the default on a bad limit and caps at API_MAX_LIMIT', async () => {
        for (const bad of ['abc', '0', '-3', '']) {
          const { body } = await json(`/api/v4/packages/?limit=${bad}`);
          expect((body.results as unknown[]).length, bad).toBe(20);
        }
        const { body } = await json('/api/v4/packages/?limit=100000');
        expect((body.results as unknown[]).length).toBe(50);
        expect(body.next).toBe(`${ORIGIN}/api/v4/packages/?limit=50&offset=50`);
      });
      it('has no next on the last page', async () => {
        const { body } = await json(`/api/v4/packages/?limit=10&offset=${total - 3}`);
        expect((body.results as unknown[]).length).toBe(3);
        expect(body.next).toBeNull();
      });
      it('pages grids and categories the same way', async () => {
        const g = await json('/api/v4/grids/?limit=2');
        expect(g.body.next).toBe(`${ORIGIN}/api/v4/grids/?limit=2&offset=2`);
        const grid = (g.body.results as Record<string, unknown>[])[0] ?? {};
        expect(Object.keys(grid)).toEqual(['id', 'title', 'slug', 'description', 'is_locked', 'packages', 'header', 'created', 'modified']);
        const c = await json('/api/v4/categories/');
        const cat = (c.body.results as Record<string, unknown>[])[0] ?? {};
        expect(Object.keys(cat)).toEqual(['id', 'title', 'slug', 'description', 'title_plural', 'show_pypi', 'created', 'modified']);
      });
    });

    describe('lookups', () => {
      it('finds grids by id and slug, packages hyperlinked by id in title order', async () => {
        const { body } = await json('/api/v4/grids/?limit=1');
        const g = (body.results as { id: number; slug: string; packages: string[] }[])[0];
        if (!g) throw new Error('no grid');
        const byId = await json(`/api/v4/grids/${g.id}/`);
        const bySlug = await json(`/api/v4/grids/${g.slug}/`);
        expect(byId.res.body).toBe(bySlug.res.body);
        for (const p of g.packages) expect(p).toMatch(new RegExp(`^${ORIGIN}/api/v4/packages/\\d+/$`));
      });
      it('looks categories up by pk only', async () => {
        expect((await json('/api/v4/categories/1/')).res.statusCode).toBe(200);
        const slug = await json('/api/v4/categories/apps/');
        expect(slug.res.statusCode).toBe(404);
      });
      it('answers 404 {"detail":"Not found."} for unknown ids and slugs', async () => {
        for (const url of [
          '/api/v4/packages/999999/',
          '/api/v4/packages/no-such-package/',
          '/api/v4/grids/0/',
          '/api/v4/packages/99999999999999/',
        ]) {
          const res = await app.inject({ url, headers: H });
          expect(res.statusCode, url).toBe(404);
          expect(res.body).toBe('{"detail":"Not found."}');
          expect(res.headers['content-type']).toBe('application/json');
        }
      });
      it('redirects a missing trailing slash with 301, keeping the query', async () => {
        const res = await app.inject({ url: '/api/v4/packages/4059?format=json', headers: H });
        expect(res.statusCode).toBe(301);
        expect(res.headers.location).toBe('/api/v4/packages/4059/?format=json');
        expect((await app.inject({ url: '/api/v4/grids', headers: H })).headers.location).toBe('/api/v4/grids/');
      });
    });

    describe('negotiation', () => {
      it('serves compact JSON by default with Vary and Allow', async () => {
        const res = await app.inject({ url: '/api/v4/packages/4059/', headers: H });
        expect(res.headers['content-type']).toBe('application/json');
        expect(res.headers.vary).toBe('Accept');
        expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
        expect(res.body.startsWith('{"category":"')).toBe(true);
      });
      it('accepts .json and .api suffixes', async () => {
        const plain = await app.inject({ url: '/api/v4/packages/4059/', headers: H });
        const suffixed = await app.inject({ url: '/api/v4/packages/4059.json', headers: H });
        expect(suffixed.body).toBe(plain.body);
        const list = await app.inject({ url: '/api/v4/packages.json?limit=1', headers: H });
        expect(JSON.parse(list.body).results).toHaveLength(1);
        const api = await app.inject({ url: '/api/v4/packages/4059.api', headers: H });
        expect(api.headers['content-type']).toBe('text/html; charset=utf-8');
        expect((await app.inject({ url: '/api/v4/packages/4059.xml', headers: H })).statusCode).toBe(404);
      });
      it('pretty-prints for Accept: application/json; indent=4', async () => {
        const res = await app.inject({ url: '/api/v4/packages/4059/', headers: { ...H, accept: 'application/json; indent=4' } });
        expect(res.body.startsWith('{\n    "category": "')).toBe(true);
        expect(JSON.parse(res.body)).toEqual(JSON.parse((await app.inject({ url: '/api/v4/packages/4059/', headers: H })).body));
      });
      it('serves the browsable page to browsers and for ?format=api', async () => {
        const browser = await app.inject({
          url: '/api/v4/packages/4059/',
          headers: { ...H, accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
        });
        expect(browser.headers['content-type']).toBe('text/html; charset=utf-8');
        const q = await app.inject({ url: '/api/v4/packages/4059/?format=api', headers: H });
        expect(q.body).toContain('API endpoint that allows packages to be viewed or edited.');
      });
      it('answers 406 for an Accept it cannot satisfy and 404 for an unknown ?format', async () => {
        const res = await app.inject({ url: '/api/v4/packages/4059/', headers: { ...H, accept: 'image/png' } });
        expect(res.statusCode).toBe(406);
        expect(res.body).toBe('{"detail":"Could not satisfy the request Accept header."}');
        expect((await app.inject({ url: '/api/v4/packages/4059/?format=xml', headers: H })).statusCode).toBe(404);
      });
    });

    describe('methods', () => {
      it('answers HEAD with headers and no body', async () => {
        const res = await app.inject({ method: 'HEAD', url: '/api/v4/packages/4059/', headers: H });
        expect(res.statusCode).toBe(200);
        expect(res.body).toBe('');
        expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
        expect(res.headers.etag).toBeDefined();
      });
      it('answers OPTIONS with name, description, renders, parses', async () => {
        const res = await app.inject({ method: 'OPTIONS', url: '/api/v4/packages/', headers: H });
        expect(res.statusCode).toBe(200);
        expect(res.body).toBe(
          '{"name":"Package List","description":"API endpoint that allows packages to be viewed or edited.","renders":["application/json","text/html"],"parses":["application/json","application/x-www-form-urlencoded","multipart/form-data"]}',
        );
        const d = JSON.parse((await app.inject({ method: 'OPTIONS', url: '/api/v4/packages/4059/', headers: H })).body) as { name: string };
        expect(d.name).toBe('Package Instance');
      });
      it('answers 405 for a method the URL does not have', async () => {
        for (const [method, url] of [
          ['POST', '/api/v4/packages/4059/'],
          ['PUT', '/api/v4/packages/'],
          ['DELETE', '/api/v4/'],
          ['POST', '/api/v4/'],
        ] as const) {
          const res = await app.inject({ method, url, headers: H, payload: {} });
          expect(res.statusCode, `${method} ${url}`).toBe(405);
          expect(res.body).toBe(`{"detail":"Method \\"${method}\\" not allowed."}`);
          expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
        }
      });
    });

    describe('conditional requests', () => {
      it('sends ETag and Last-Modified and answers 304', async () => {
        const res = await app.inject({ url: '/api/v4/packages/4059/', headers: H });
        const etag = res.headers.etag;
        const lm = res.headers['last-modified'];
        expect(typeof etag).toBe('string');
        expect(typeof lm).toBe('string');
        const again = await app.inject({ url: '/api/v4/packages/4059/', headers: { ...H, 'if-none-match': String(etag) } });
        expect(again.statusCode).toBe(304);
        expect(again.body).toBe('');
        const since = await app.inject({ url: '/api/v4/packages/4059/', headers: { ...H, 'if-modified-since': String(lm) } });
        expect(since.statusCode).toBe(304);
        const stale = await app.inject({ url: '/api/v4/packages/4059/', headers: { ...H, 'if-none-match': '"other"' } });
        expect(stale.statusCode).toBe(200);
        const old = await app.inject({
          url: '/api/v4/packages/4059/',
          headers: { ...H, 'if-modified-since': 'Mon, 01 Jan 2001 00:00:00 GMT' },
        });
        expect(old.statusCode).toBe(200);
        const list = await app.inject({ url: '/api/v4/packages/', headers: H });
        expect(list.headers.etag).toBeDefined();
        expect(list.headers['last-modified']).toBeDefined();
      });
    });

    describe('hosts', () => {
      it('ignores X-Forwarded-* unless TRUST_PROXY is set', async () => {
        const { app: strict } = await createTestApp(get(), { TIME_ZONE: 'America/New_York' });
        const res = await strict.inject({
          url: '/api/v4/packages/4059/',
          headers: { host: 'example.test:8000', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.test' },
        });
        expect((JSON.parse(res.body) as { category: string }).category).toBe('http://example.test:8000/api/v4/categories/4/');
        await strict.close();
      });
    });

    describe('legacy', () => {
      it('answers /api/v1/* with 410 and a pointer to v4', async () => {
        const res = await app.inject({ url: '/api/v1/package/django-debug-toolbar/', headers: H });
        expect(res.statusCode).toBe(410);
        expect(res.body).toContain('/api/v4/');
      });
    });

    describe('rate limits', () => {
      it('answers 429 with Retry-After past the read limit per client address', async () => {
        const { app: limited } = await createTestApp(get(), { RATE_LIMIT_READS_PER_MINUTE: '3' });
        const codes: number[] = [];
        let retry: unknown;
        for (let i = 0; i < 5; i++) {
          const r = await limited.inject({ url: '/api/v4/categories/', remoteAddress: '10.0.0.1' });
          codes.push(r.statusCode);
          if (r.statusCode === 429) {
            retry = r.headers['retry-after'];
            expect(r.body).toMatch(/^\{"detail":"Request was throttled\. Expected available in \d+ seconds?\."\}$/);
          }
        }
        expect(codes.slice(0, 3)).toEqual([200, 200, 200]);
        expect(codes.slice(3)).toEqual([429, 429]);
        expect(Number(retry)).toBeGreaterThan(0);
        // Another address has its own budget.
        expect((await limited.inject({ url: '/api/v4/categories/', remoteAddress: '10.0.0.2' })).statusCode).toBe(200);
        await limited.close();
      });
    });
  },
  { seeded: true },
);
