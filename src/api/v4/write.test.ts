import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, createToken, createUser } from '../../accounts/account.service.js';
import { editHistory } from '../../history/history.service.js';
import { describeEachDb } from '../../../test/db.js';
import { createTestApp } from '../../../test/app.js';

const H = { host: 'packgrid.test' };
const BASE = 'http://packgrid.test/api/v4';

describeEachDb(
  'api v4 writes and permissions',
  (get) => {
    let app: FastifyInstance;
    let user: Record<string, string>;
    let staff: Record<string, string>;
    let userId = 0;
    const refreshed: number[][] = [];
    beforeAll(async () => {
      const db = get().db;
      ({ app } = await createTestApp(
        get(),
        { RATE_LIMIT_READS_PER_MINUTE: '0', RATE_LIMIT_WRITES_PER_MINUTE: '0' },
        {
          async requestRefresh(ids) {
            refreshed.push([...ids]);
          },
        },
      ));
      userId = (await createUser(db, { username: 'editor' })).id;
      await createUser(db, { username: 'boss', staff: true });
      user = { ...H, authorization: `Token ${(await createToken(db, 'editor')).key}` };
      staff = { ...H, authorization: `Token ${(await createToken(db, 'boss')).key}` };
    });
    afterAll(async () => app.close());

    const send = (method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, headers: Record<string, string>, payload?: unknown) =>
      app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });

    describe('permission matrix', () => {
      it('anonymous callers get 401 with DRF body on every write', async () => {
        for (const [m, url] of [
          ['POST', '/api/v4/packages/'],
          ['PUT', '/api/v4/packages/4059/'],
          ['PATCH', '/api/v4/packages/4059/'],
          ['DELETE', '/api/v4/packages/4059/'],
          ['POST', '/api/v4/grids/'],
          ['POST', '/api/v4/categories/'],
          ['POST', '/api/v4/packages/4059/fetch/'],
        ] as const) {
          const res = await send(m, url, H, {});
          expect(res.statusCode, `${m} ${url}`).toBe(401);
          expect(res.body).toBe('{"detail":"Authentication credentials were not provided."}');
          expect(res.headers['www-authenticate']).toBe('Token');
        }
      });
      it('a bad token is 401 "Invalid token."', async () => {
        const res = await app.inject({ url: '/api/v4/packages/', headers: { ...H, authorization: 'Token nope' } });
        expect(res.statusCode).toBe(401);
        expect(res.body).toBe('{"detail":"Invalid token."}');
      });
      it('users may not delete or touch categories (403)', async () => {
        for (const [m, url] of [
          ['DELETE', '/api/v4/packages/4059/'],
          ['DELETE', '/api/v4/grids/1/'],
          ['POST', '/api/v4/categories/'],
          ['PATCH', '/api/v4/categories/1/'],
          ['DELETE', '/api/v4/categories/1/'],
        ] as const) {
          const res = await send(m, url, user, {});
          expect(res.statusCode, `${m} ${url}`).toBe(403);
          expect(res.body).toBe('{"detail":"You do not have permission to perform this action."}');
        }
      });
      it('Allow reflects what the caller may do', async () => {
        const allow = async (url: string, h: Record<string, string>) => (await app.inject({ url, headers: h })).headers.allow;
        expect(await allow('/api/v4/packages/', H)).toBe('GET, HEAD, OPTIONS');
        expect(await allow('/api/v4/packages/', user)).toBe('GET, POST, HEAD, OPTIONS');
        expect(await allow('/api/v4/packages/4059/', user)).toBe('GET, PUT, PATCH, HEAD, OPTIONS');
        expect(await allow('/api/v4/packages/4059/', staff)).toBe('GET, PUT, PATCH, DELETE, HEAD, OPTIONS');
        expect(await allow('/api/v4/categories/1/', user)).toBe('GET, HEAD, OPTIONS');
        expect(await allow('/api/v4/categories/1/', staff)).toBe('GET, PUT, PATCH, DELETE, HEAD, OPTIONS');
      });
    });

    describe('packages', () => {
      let id = 0;
      it('creates a package with normalised URLs, records history and asks for a fetch', async () => {
        const res = await send('POST', '/api/v4/packages/', user, {
          title: 'Django Example Thing',
          slug: 'django-example-thing',
          category: `${BASE}/categories/1/`,
          repo_url: 'git@GitHub.com:Example/Django-Example-Thing.git',
          pypi_url: 'django-example-thing',
          documentation_url: 'https://example-thing.readthedocs.io/',
        });
        expect(res.statusCode).toBe(201);
        const body = JSON.parse(res.body) as Record<string, unknown>;
        id = Number(body.id);
        expect(res.headers.location).toBe(`${BASE}/packages/${id}/`);
        expect(body.repo_url).toBe('https://github.com/example/django-example-thing');
        expect(body.pypi_url).toBe('https://pypi.org/project/django-example-thing/');
        expect(body.category).toBe(`${BASE}/categories/1/`);
        expect(refreshed).toContainEqual([id]);
        const h = await editHistory(get().db, { packageId: id });
        expect(h).toHaveLength(1);
        expect(h[0]?.action).toBe('create');
        expect(h[0]?.username).toBe('editor');
        const row = await get()
          .db.selectFrom('packages')
          .select(['created_by_id', 'last_modified_by_id'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        expect(row).toEqual({ created_by_id: userId, last_modified_by_id: userId });
      });
      it('validates with DRF-shaped 400s and writes nothing', async () => {
        const before = JSON.parse((await app.inject({ url: '/api/v4/packages/?limit=1', headers: H })).body).count as number;
        const missing = await send('POST', '/api/v4/packages/', user, { title: 'x' });
        expect(missing.statusCode).toBe(400);
        expect(JSON.parse(missing.body)).toEqual({ slug: ['This field is required.'], category: ['This field is required.'] });
        const bad = await send('POST', '/api/v4/packages/', user, {
          title: 'y'.repeat(101),
          slug: 'bad slug',
          category: 'https://elsewhere/x/',
          repo_url: 'nonsense',
        });
        expect(bad.statusCode).toBe(400);
        const errors = JSON.parse(bad.body) as Record<string, string[]>;
        expect(errors.title).toEqual(['Ensure this field has no more than 100 characters.']);
        expect(errors.slug).toEqual(['Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.']);
        const dup = await send('POST', '/api/v4/packages/', user, {
          title: 'Dup',
          slug: 'django-example-thing',
          category: 1,
          repo_url: 'https://github.com/example/django-example-thing',
        });
        expect(dup.statusCode).toBe(400);
        expect(JSON.parse(dup.body)).toEqual({
          slug: ['package with this slug already exists.'],
          repo_url: ['package with this repo url already exists.'],
        });
        const notObj = await app.inject({
          method: 'POST',
          url: '/api/v4/packages/',
          headers: { ...user, 'content-type': 'application/json' },
          payload: '[1]',
        });
        expect(JSON.parse(notObj.body)).toEqual({ non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] });
        const noCat = await send('POST', '/api/v4/packages/', user, { title: 'Z', slug: 'zz-unique', category: 999 });
        expect(JSON.parse(noCat.body)).toEqual({ category: ['Invalid hyperlink - Object does not exist.'] });
        const after = JSON.parse((await app.inject({ url: '/api/v4/packages/?limit=1', headers: H })).body).count as number;
        expect(after).toBe(before);
      });
      it('PATCH changes one field, bumps modified and records the diff; PUT needs every required field', async () => {
        const before = JSON.parse((await app.inject({ url: `/api/v4/packages/${id}/`, headers: H })).body) as Record<string, string>;
        const res = await send('PATCH', `/api/v4/packages/${id}/`, user, { title: 'Renamed Thing' });
        expect(res.statusCode).toBe(200);
        const after = JSON.parse(res.body) as Record<string, string>;
        expect(after.title).toBe('Renamed Thing');
        expect(after.modified).not.toBe(before.modified);
        const h = await editHistory(get().db, { packageId: id });
        expect(h[0]?.changes).toEqual({ title: ['Django Example Thing', 'Renamed Thing'] });
        const put = await send('PUT', `/api/v4/packages/${id}/`, user, { title: 'Only title' });
        expect(put.statusCode).toBe(400);
        expect(Object.keys(JSON.parse(put.body))).toEqual(['slug', 'category']);
        const bySlug = await send('PATCH', '/api/v4/packages/django-example-thing/', user, { documentation_url: null });
        expect(JSON.parse(bySlug.body).documentation_url).toBeNull();
      });
      it('asks for a fetch on POST …/fetch/ (202)', async () => {
        const res = await send('POST', `/api/v4/packages/${id}/fetch/`, user, {});
        expect(res.statusCode).toBe(202);
        expect(refreshed.at(-1)).toEqual([id]);
        expect((await send('POST', '/api/v4/packages/999999/fetch/', user, {})).statusCode).toBe(404);
      });
      it('staff may delete (204), and history keeps the record', async () => {
        const res = await send('DELETE', `/api/v4/packages/${id}/`, staff);
        expect(res.statusCode).toBe(204);
        expect((await app.inject({ url: `/api/v4/packages/${id}/`, headers: H })).statusCode).toBe(404);
        const h = await editHistory(get().db, { packageId: id });
        expect(h[0]?.action).toBe('delete');
        expect(h[0]?.username).toBe('boss');
      });
    });

    describe('grids', () => {
      it('creates, edits the package list and deletes a grid', async () => {
        const res = await send('POST', '/api/v4/grids/', user, {
          title: 'Test Grid',
          slug: 'test-grid',
          description: 'Compare',
          packages: [`${BASE}/packages/4059/`, 100],
        });
        expect(res.statusCode).toBe(201);
        const g = JSON.parse(res.body) as { id: number; packages: string[] };
        expect(g.packages.sort()).toEqual([`${BASE}/packages/100/`, `${BASE}/packages/4059/`]);
        const pkg = JSON.parse((await app.inject({ url: '/api/v4/packages/100/', headers: H })).body) as { grids: string[] };
        expect(pkg.grids).toContain(`${BASE}/grids/${g.id}/`);
        const patched = await send('PATCH', `/api/v4/grids/${g.id}/`, user, { packages: [100] });
        expect(JSON.parse(patched.body).packages).toEqual([`${BASE}/packages/100/`]);
        const h = await editHistory(get().db, { gridId: g.id });
        expect(h.map((e) => e.action)).toEqual(['update', 'create']);
        expect(h[0]?.changes.packages).toEqual([[100, 4059], [100]]);
        const bad = await send('PATCH', `/api/v4/grids/${g.id}/`, user, { packages: [99999999] });
        expect(bad.statusCode).toBe(400);
        expect(Object.keys(JSON.parse(bad.body))).toEqual(['packages']);
        const dup = await send('POST', '/api/v4/grids/', user, { title: 'Again', slug: 'test-grid' });
        expect(JSON.parse(dup.body)).toEqual({ slug: ['grid with this slug already exists.'] });
        expect((await send('DELETE', `/api/v4/grids/${g.id}/`, staff)).statusCode).toBe(204);
      });
    });

    describe('categories', () => {
      it('staff create, edit and delete a category; a used one cannot be deleted', async () => {
        const res = await send('POST', '/api/v4/categories/', staff, { title: 'Tools', slug: 'tools', show_pypi: false });
        expect(res.statusCode).toBe(201);
        const c = JSON.parse(res.body) as { id: number; show_pypi: boolean };
        expect(c.show_pypi).toBe(false);
        const bad = await send('PATCH', `/api/v4/categories/${c.id}/`, staff, { show_pypi: 'maybe' });
        expect(JSON.parse(bad.body)).toEqual({ show_pypi: ['Must be a valid boolean.'] });
        expect((await send('DELETE', `/api/v4/categories/${c.id}/`, staff)).statusCode).toBe(204);
        const used = await send('DELETE', '/api/v4/categories/1/', staff);
        expect(used.statusCode).toBe(400);
      });
    });

    describe('sessions and CSRF', () => {
      it('accepts a session cookie, and refuses unsafe methods without the CSRF token', async () => {
        const s = await createSession(get().db, userId);
        const cookie = { ...H, cookie: `other=1; packgrid_session=${s.cookieValue}` };
        expect((await app.inject({ url: '/api/v4/packages/', headers: cookie })).headers.allow).toBe('GET, POST, HEAD, OPTIONS');
        const noToken = await send('PATCH', '/api/v4/packages/4059/', cookie, { title: 'x' });
        expect(noToken.statusCode).toBe(403);
        expect(noToken.body).toBe('{"detail":"CSRF Failed: CSRF token missing."}');
        const wrong = await send(
          'PATCH',
          '/api/v4/packages/4059/',
          { ...cookie, 'x-csrftoken': 'x'.repeat(s.csrfToken.length) },
          { title: 'x' },
        );
        expect(wrong.body).toBe('{"detail":"CSRF Failed: CSRF token incorrect."}');
        const ok = await send(
          'PATCH',
          '/api/v4/packages/4059/',
          { ...cookie, 'x-csrftoken': s.csrfToken },
          { repo_description: 'ignored field' },
        );
        expect(ok.statusCode).toBe(200);
        // The browsable form: urlencoded _method/_content with csrfmiddlewaretoken.
        const form = await app.inject({
          method: 'POST',
          url: '/api/v4/packages/4059/',
          headers: { ...cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
          payload: new URLSearchParams({
            csrfmiddlewaretoken: s.csrfToken,
            _method: 'PATCH',
            _content: JSON.stringify({ title: 'Via form' }),
          }).toString(),
        });
        expect(form.statusCode).toBe(200);
        expect(form.headers['content-type']).toBe('text/html; charset=utf-8');
        const now = JSON.parse((await app.inject({ url: '/api/v4/packages/4059/', headers: H })).body) as { title: string };
        expect(now.title).toBe('Via form');
      });
    });

    describe('write rate limit', () => {
      it('limits writes per user with 429 and Retry-After', async () => {
        const { app: limited } = await createTestApp(get(), { RATE_LIMIT_WRITES_PER_MINUTE: '2' });
        const codes: number[] = [];
        for (let i = 0; i < 3; i++)
          codes.push(
            (await limited.inject({ method: 'PATCH', url: '/api/v4/packages/4059/', headers: user, payload: { title: `t${i}` } }))
              .statusCode,
          );
        expect(codes).toEqual([200, 200, 429]);
        const last = await limited.inject({ method: 'PATCH', url: '/api/v4/packages/4059/', headers: user, payload: { title: 'x' } });
        expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
        await limited.close();
      });
    });
  },
  { seeded: true },
);
