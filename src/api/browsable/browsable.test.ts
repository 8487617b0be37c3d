import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, createUser } from '../../accounts/account.service.js';
import { describeEachDb } from '../../../test/db.js';
import { createTestApp } from '../../../test/app.js';

const H = { host: 'packgrid.test' };

describeEachDb(
  'browsable API view',
  (get) => {
    let app: FastifyInstance;
    beforeAll(async () => {
      ({ app } = await createTestApp(get(), { RATE_LIMIT_READS_PER_MINUTE: '0' }));
    });
    afterAll(async () => app.close());

    it('shows name, description, request line, status and headers, and links every URL keeping ?format=api', async () => {
      const res = await app.inject({ url: '/api/v4/packages/4059/?format=api', headers: H });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers.vary).toBe('Accept');
      const html = res.body;
      expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
      expect(html).toContain('<h1>Package Instance</h1>');
      expect(html).toContain('API endpoint that allows packages to be viewed or edited.');
      expect(html).toContain('GET /api/v4/packages/4059/?format=api');
      expect(html).toContain('HTTP 200 OK');
      expect(html).toContain('Allow: GET, HEAD, OPTIONS');
      expect(html).toContain(
        '<a href="http://packgrid.test/api/v4/categories/4/?format=api" rel="nofollow">http://packgrid.test/api/v4/categories/4/?format=api</a>',
      );
      expect(html).toContain('href="/api/v4/packages/4059/?format=json"');
      expect(html).not.toContain('<form');
    });

    it('shows pagination links on lists', async () => {
      const html = (await app.inject({ url: '/api/v4/packages/?format=api&limit=5&offset=5', headers: H })).body;
      expect(html).toContain('<h1>Package List</h1>');
      expect(html).toContain('rel="next" href="http://packgrid.test/api/v4/packages/?format=api&amp;limit=5&amp;offset=10"');
      expect(html).toContain('rel="prev" href="http://packgrid.test/api/v4/packages/?format=api&amp;limit=5"');
    });

    it('links without ?format=api when a browser asked via Accept', async () => {
      const html = (await app.inject({ url: '/api/v4/packages/4059/', headers: { ...H, accept: 'text/html' } })).body;
      expect(html).toContain('href="http://packgrid.test/api/v4/categories/4/"');
    });

    it('escapes user text everywhere', async () => {
      const db = get().db;
      await db.updateTable('packages').set({ repo_description: '<script>alert(1)</script>"&' }).where('id', '=', 4059).execute();
      // A fresh app: its response cache has not seen the record yet.
      const { app: fresh } = await createTestApp(get(), { RATE_LIMIT_READS_PER_MINUTE: '0' });
      const html = (await fresh.inject({ url: '/api/v4/packages/4059/?format=api&x=%3Cb%3E"', headers: H })).body;
      await fresh.close();
      expect(html).not.toContain('<script>alert(1)</script>');
      expect(html).toContain('&lt;script>alert(1)&lt;/script>\\&quot;&amp;');
      expect(html).not.toContain('x=<b>');
    });

    it('offers signed-in editors a form with the CSRF token and the methods they may use', async () => {
      const user = await createUser(get().db, { username: 'formuser' });
      const s = await createSession(get().db, user.id);
      const html = (
        await app.inject({ url: '/api/v4/packages/4059/?format=api', headers: { ...H, cookie: `packgrid_session=${s.cookieValue}` } })
      ).body;
      expect(html).toContain('<form method="post" action="/api/v4/packages/4059/?format=api">');
      expect(html).toContain(`name="csrfmiddlewaretoken" value="${s.csrfToken}"`);
      expect(html).toContain('name="_method" value="PUT"');
      expect(html).toContain('name="_method" value="PATCH"');
      expect(html).not.toContain('value="DELETE"');
      expect(html).toContain('formuser');
    });

    describe('a failed write from the browsable form', () => {
      const submit = async (cookie: string, csrf: string, method: string, content: string, url = '/api/v4/packages/4059/?format=api') =>
        app.inject({
          method: 'POST',
          url,
          headers: { ...H, cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
          payload: new URLSearchParams({ csrfmiddlewaretoken: csrf, _method: method, _content: content }).toString(),
        });
      let cookie = '';
      let csrf = '';
      beforeAll(async () => {
        const user = await createUser(get().db, { username: 'formfail' });
        const s = await createSession(get().db, user.id);
        cookie = `packgrid_session=${s.cookieValue}`;
        csrf = s.csrfToken;
      });

      it('shows the 400 and the field errors on the HTML page, escaped, with the submitted content kept in the form', async () => {
        const before = (await get().db.selectFrom('packages').select('title').where('id', '=', 4059).executeTakeFirstOrThrow()).title;
        const content = JSON.stringify({ title: 'x'.repeat(101), slug: '<b>bad slug</b>' });
        const res = await submit(cookie, csrf, 'PATCH', content);
        expect(res.statusCode).toBe(400);
        expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
        const html = res.body;
        expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
        expect(html).toContain('<h1>Package Instance</h1>');
        expect(html).toContain('HTTP 400 Bad Request');
        expect(html).toContain('Ensure this field has no more than 100 characters.');
        expect(html).toContain('Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.');
        // The form is still there, with what the editor typed (escaped), not the stored record.
        expect(html).toContain('<form method="post" action="/api/v4/packages/4059/?format=api">');
        expect(html).toContain(`name="csrfmiddlewaretoken" value="${csrf}"`);
        expect(html).toContain('&lt;b>bad slug&lt;/b>');
        expect(html).not.toContain('<b>bad slug</b>');
        expect(html).toContain('x'.repeat(101));
        const after = (await get().db.selectFrom('packages').select('title').where('id', '=', 4059).executeTakeFirstOrThrow()).title;
        expect(after).toBe(before);
      });

      it('shows a JSON parse error and a uniqueness error the same way', async () => {
        const broken = await submit(cookie, csrf, 'PUT', '{"title": <script>');
        expect(broken.statusCode).toBe(400);
        expect(broken.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(broken.body).toContain('JSON parse error');
        expect(broken.body).toContain('{&quot;title&quot;: &lt;script>');
        expect(broken.body).not.toContain('<script>');
        const other = (
          await get().db.selectFrom('packages').select('slug').where('id', '<>', 4059).orderBy('id').limit(1).executeTakeFirstOrThrow()
        ).slug;
        const dup = await submit(cookie, csrf, 'PATCH', JSON.stringify({ slug: other }));
        expect(dup.statusCode).toBe(400);
        expect(dup.body).toContain('package with this slug already exists.');
      });

      it('shows a refused write (403) on the page too, and keeps JSON for API clients', async () => {
        const del = await submit(cookie, csrf, 'DELETE', '');
        expect(del.statusCode).toBe(403);
        expect(del.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(del.body).toContain('You do not have permission to perform this action.');
        const json = await app.inject({
          method: 'POST',
          url: '/api/v4/packages/4059/',
          headers: { ...H, cookie, 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ csrfmiddlewaretoken: csrf, _method: 'PATCH', _content: JSON.stringify({ title: '' }) }).toString(),
        });
        expect(json.statusCode).toBe(400);
        expect(json.headers['content-type']).toMatch(/^application\/json/);
        expect(json.body).toBe('{"title":["This field may not be blank."]}');
      });

      it('renders an unknown object as a browsable 404 page', async () => {
        const res = await app.inject({ url: '/api/v4/packages/99999999/?format=api', headers: H });
        expect(res.statusCode).toBe(404);
        expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(res.body).toContain('HTTP 404 Not Found');
        expect(res.body).toContain('&quot;detail&quot;: &quot;Not found.&quot;');
      });
    });
  },
  { seeded: true },
);
