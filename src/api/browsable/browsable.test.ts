import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
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
      expect(html).toContain('<a href="http://packgrid.test/api/v4/categories/4/?format=api" rel="nofollow">http://packgrid.test/api/v4/categories/4/?format=api</a>');
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
      const html = (await app.inject({ url: '/api/v4/packages/4059/?format=api', headers: { ...H, cookie: `packgrid_session=${s.cookieValue}` } })).body;
      expect(html).toContain('<form method="post" action="/api/v4/packages/4059/?format=api">');
      expect(html).toContain(`name="csrfmiddlewaretoken" value="${s.csrfToken}"`);
      expect(html).toContain('name="_method" value="PUT"');
      expect(html).toContain('name="_method" value="PATCH"');
      expect(html).not.toContain('value="DELETE"');
      expect(html).toContain('formuser');
    });
  },
  { seeded: true },
);
