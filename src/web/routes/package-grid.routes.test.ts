import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { describeEachDb } from '../../../test/db.js';
import { createTestApp } from '../../../test/app.js';
import { createBigGrid } from '../../../test/browser/big-grid.js';
import { applyGridView, parseGridView } from '../pages/grid-view.js';

describeEachDb(
  'web package and grid pages',
  (get) => {
    let app: FastifyInstance;
    let slug = '';
    beforeAll(async () => {
      ({ app } = await createTestApp(get()));
      const p = await get()
        .db.selectFrom('packages')
        .select('slug')
        .where('latest_version_id', 'is not', null)
        .where(sql<number>`cardinality(commits_over_52)`, '=', 52)
        .orderBy('repo_watchers', 'desc')
        .executeTakeFirstOrThrow();
      slug = p.slug;
      await createBigGrid(get().db, { slug: 'big-grid' });
    });
    afterAll(async () => app.close());

    it('package page shows metrics, chart, releases, contributors, badge', async () => {
      const r = await app.inject({ url: `/packages/p/${slug}/` });
      expect(r.statusCode).toBe(200);
      expect(r.body).toContain('Repository activity');
      expect(r.body).toMatch(/<svg class="chart"[^>]*aria-label="\d+ commits in the last 52 weeks"/);
      expect((r.body.match(/<rect /g) ?? []).length).toBe(52);
      expect(r.body).toContain('id="releases"');
      expect(r.body).toContain('Contributors');
      expect(r.body).toContain(`img.shields.io/badge/PyPI-`);
      expect(r.body).toContain(`/packages/p/${slug}/rules/`);
      expect(r.body).toContain('Sign in</a> to favourite');
    });

    it('releases paginate as an htmx fragment', async () => {
      const r = await app.inject({ url: `/packages/${slug}/versions/?page=1`, headers: { 'hx-request': 'true' } });
      expect(r.statusCode).toBe(200);
      expect(r.body.startsWith('<div id="releases">')).toBe(true);
      expect(r.body).not.toContain('<html');
    });

    it('rules page shows the score and search-weight breakdown', async () => {
      const r = await app.inject({ url: `/packages/p/${slug}/rules/` });
      expect(r.statusCode).toBe(200);
      expect(r.body).toContain('Stored score');
      expect(r.body).toContain('Search weight');
      expect(r.body).toContain('recent release');
    });

    it('unknown package and grid are friendly 404 pages', async () => {
      const a = await app.inject({ url: '/packages/p/definitely-not-here/', headers: { accept: 'text/html' } });
      expect(a.statusCode).toBe(404);
      expect(a.body).toContain('No such package.');
      const b = await app.inject({ url: '/grids/g/definitely-not-here/', headers: { accept: 'text/html' } });
      expect(b.statusCode).toBe(404);
    });

    it('grid page shows every one of 100 packages and 30 features with sticky headers', async () => {
      const r = await app.inject({ url: '/grids/g/big-grid/' });
      expect(r.statusCode).toBe(200);
      expect(r.body).toContain('Showing 100 of 100 packages');
      const head = r.body.split('<thead>')[1]?.split('</thead>')[0] ?? '';
      expect((head.match(/<th scope="col">/g) ?? []).length).toBe(101);
      for (const label of [
        'Description',
        'Category',
        'Using this',
        'Python 3?',
        'Development status',
        'Version',
        'Stars',
        'Forks',
        'Commits',
        'Last updated',
        'Score',
        'Licence',
        'Links',
      ]) {
        expect(r.body).toContain(`<th scope="row">${label}</th>`);
      }
      expect((r.body.match(/<th scope="row" title="What feature/g) ?? []).length).toBe(30);
      const bodyRows = r.body.split('<tbody>')[1]?.split('</tbody>')[0] ?? '';
      // 13 metric rows + 30 feature rows of 100 cells, plus the one-cell "Features" divider.
      expect((bodyRows.match(/<td[ >]/g) ?? []).length).toBe(43 * 100 + 1);
      expect(r.body).toContain('&lt;b&gt;not bold&lt;/b&gt;');
      expect(r.body).toContain('aria-label="yes"');
      expect(r.body).toContain('<a href="https://example.org/docs" rel="nofollow noopener">');
    });

    it('grid sorts by title and filters by text, as a partial for htmx', async () => {
      const r = await app.inject({ url: '/grids/g/big-grid/?sort=title&q=package+00', headers: { 'hx-request': 'true' } });
      expect(r.statusCode).toBe(200);
      expect(r.body.startsWith('<div id="grid-table">')).toBe(true);
      const titles = [...r.body.matchAll(/<th scope="col"><a href="\/packages\/p\/[^"]+\/">([^<]+)<\/a>/g)].map((m) => m[1]);
      expect(titles.length).toBe(9);
      expect(titles[0]).toBe('big-grid package 001');
      expect(titles[8]).toBe('big-grid package 009');
    });

    it('grid all-packages and timesheet pages list the packages', async () => {
      const a = await app.inject({ url: '/grids/g/big-grid/packages/?sort=title' });
      expect(a.statusCode).toBe(200);
      expect((a.body.match(/<td><a href="\/packages\/p\//g) ?? []).length).toBe(50);
      const t = await app.inject({ url: '/grids/g/big-grid/timesheet/' });
      expect(t.statusCode).toBe(200);
      expect(t.body).toContain('big-grid package 001');
    });

    it('a cached anonymous grid page notices metric changes made outside the web process', async () => {
      const first = await app.inject({ url: '/grids/g/big-grid/?sort=title' });
      expect(first.body).not.toContain('>123,456<');
      // The refresh worker writes straight to the database (no web request clears the cache).
      await get().db.updateTable('packages').set({ repo_watchers: 123456, score: 123456 }).where('slug', '=', 'big-grid-pkg-1').execute();
      // The version check is remembered for one second; past that the change must show.
      await new Promise((r) => setTimeout(r, 1100));
      const second = await app.inject({ url: '/grids/g/big-grid/?sort=title' });
      expect(second.body).toContain('>123,456<');
    });

    it('grids list filters and sorts', async () => {
      const r = await app.inject({ url: '/grids/?q=big&sort=packages' });
      expect(r.statusCode).toBe(200);
      expect(r.body).toContain('href="/grids/g/big-grid/"');
      expect(r.body).toContain('1 grids');
    });
  },
  { seeded: true },
);

describe('applyGridView', () => {
  const col = (id: number, title: string, score: number, status: number | null, commit: string | null) =>
    ({
      id,
      title,
      score,
      development_status: status,
      last_commit_date: commit,
      repo_description: '',
      repo_watchers: 0,
      repo_forks: 0,
      pypi_downloads: 0,
    }) as Parameters<typeof applyGridView>[0][number];
  const rows = [col(1, 'b', 5, 5, null), col(2, 'a', 9, 4, '2026-01-01T00:00:00Z'), col(3, 'c', 1, 5, '2025-01-01T00:00:00Z')];
  it('defaults to score descending and ignores unknown sorts', () => {
    expect(applyGridView(rows, parseGridView({ q: '', stable: '', sort: 'bogus' })).map((r) => r.id)).toEqual([2, 1, 3]);
  });
  it('puts packages without a commit date last', () => {
    expect(applyGridView(rows, parseGridView({ q: '', stable: '', sort: 'commit_date' })).map((r) => r.id)).toEqual([2, 3, 1]);
  });
  it('filters to production/stable', () => {
    expect(applyGridView(rows, parseGridView({ q: '', stable: '1', sort: 'title' })).map((r) => r.id)).toEqual([1, 3]);
  });
});
