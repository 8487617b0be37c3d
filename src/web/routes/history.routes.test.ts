import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachDb } from '../../../test/db.js';
import { createTestApp } from '../../../test/app.js';
import { signInAs, type TestSession } from '../../../test/fake-oauth/sign-in.js';
import type { AppContext } from '../../context.js';
import { addFeature, setCell } from '../../grids/grid-content.service.js';
import { createGrid } from '../../grids/grid.service.js';
import { editPackage } from '../../packages/package.service.js';

const EVIL = `<script>alert("x")</script>`;

describeEachDb(
  'web edit history pages',
  (get) => {
    let app: FastifyInstance;
    let ctx: AppContext;
    let mallory: TestSession;
    let pkg = { id: 0, slug: '', title: '' };
    beforeAll(async () => {
      ({ app, ctx } = await createTestApp(get(), { TIME_ZONE: 'America/New_York' }));
      mallory = await signInAs(get().db, 'mallory');
      pkg = await get()
        .db.selectFrom('packages')
        .select(['id', 'slug', 'title'])
        .orderBy('repo_watchers', 'desc')
        .executeTakeFirstOrThrow();
    });
    afterAll(async () => app.close());

    it('package history lists who changed which field, before and after, escaped, newest first', async () => {
      await editPackage(get().db, ctx.refresh, mallory.userId, pkg.id, { title: EVIL });
      const r = await app.inject({ url: `/packages/p/${pkg.slug}/history/` });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toContain('text/html');
      expect(r.body).toContain('href="/profiles/mallory/">mallory</a>');
      expect(r.body).toContain('<td>changed</td>');
      expect(r.body).toContain('package #' + pkg.id);
      expect(r.body).toContain(
        `<strong>title</strong>: <span class="before">${pkg.title}</span> → <span class="after">&lt;script>alert(&quot;x&quot;)&lt;/script></span>`,
      );
      expect(r.body).not.toContain(EVIL);
      // The page heading carries the (now malicious) title, escaped too.
      expect(r.body).toContain('Edit history of <a href="/packages/p/');
      // Timestamps print in the configured zone (the test app runs in America/New_York: -04:00 or -05:00).
      const m = /<time datetime="([^"]+)">([^<]+)<\/time>/.exec(r.body);
      expect(m?.[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$/);
      expect(m?.[2]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?-0[45]:00$/);
      const page = await app.inject({ url: `/packages/p/${pkg.slug}/` });
      expect(page.body).toContain(`href="/packages/p/${pkg.slug}/history/"`);
    });

    it('grid history shows the grid, feature and cell edits; the grid page links to it', async () => {
      const g = await createGrid(get().db, mallory.userId, {
        title: `Grid ${EVIL}`,
        slug: 'history-grid',
        description: '',
        packages: [pkg.id],
      });
      const featureId = await addFeature(get().db, { id: mallory.userId, staff: false }, g.id, { title: 'Async', description: '' });
      await setCell(get().db, { id: mallory.userId, staff: false }, g.id, pkg.id, featureId, 'yes');
      await setCell(get().db, { id: mallory.userId, staff: false }, g.id, pkg.id, featureId, `no ${EVIL}`);
      const r = await app.inject({ url: '/grids/g/history-grid/history/' });
      expect(r.statusCode).toBe(200);
      expect(r.body).not.toContain(EVIL);
      expect(r.body).toContain('Edit history of <a href="/grids/g/history-grid/">Grid &lt;script>alert(&quot;x&quot;)&lt;/script></a>');
      const rows = r.body.match(/<tr><td><time/g) ?? [];
      expect(rows.length).toBe(4);
      // Newest first: the second cell edit, then the first, then the feature, then the grid.
      const second = r.body.indexOf('<span class="after">no &lt;script>');
      const first = r.body.indexOf('<strong>text</strong>: <span class="before">—</span> → <span class="after">yes</span>');
      const feature = r.body.indexOf('feature #' + featureId);
      expect(second).toBeGreaterThan(-1);
      expect(first).toBeGreaterThan(second);
      expect(feature).toBeGreaterThan(first);
      expect(r.body).toContain('<td>created</td>');
      expect(r.body).toContain('cell #');
      const page = await app.inject({ url: '/grids/g/history-grid/' });
      expect(page.body).toContain('href="/grids/g/history-grid/history/"');
    });

    it('an unedited grid says so; unknown slugs are friendly 404 pages', async () => {
      await get().db.insertInto('grids').values({ title: 'Quiet grid', slug: 'quiet-grid', description: '' }).execute();
      const quiet = await app.inject({ url: '/grids/g/quiet-grid/history/' });
      expect(quiet.statusCode).toBe(200);
      expect(quiet.body).toContain('No recorded edits for this grid yet.');
      const a = await app.inject({ url: '/packages/p/definitely-not-here/history/', headers: { accept: 'text/html' } });
      expect(a.statusCode).toBe(404);
      expect(a.body).toContain('No such package.');
      const b = await app.inject({ url: '/grids/g/definitely-not-here/history/', headers: { accept: 'text/html' } });
      expect(b.statusCode).toBe(404);
      expect(b.body).toContain('No such grid.');
    });
  },
  { seeded: true },
);
