import { expect, it } from 'vitest';
import { describeEachDb } from '../../../test/db.js';
import { appForSuite, createTestApp } from '../../../test/app.js';
import { recordSearchMiss, reindexPackages } from '../../search/search.service.js';
import { signInAs } from '../../../test/fake-oauth/sign-in.js';

describeEachDb(
  'search pages',
  (get) => {
    const app = appForSuite(get);

    it('/search/?q= lists results inside the site layout', async () => {
      const res = await app().inject({ method: 'GET', url: '/search/?q=taggit' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('href="/packages/p/django-taggit/"');
      expect(res.body).toContain('Search results for');
      expect(res.body).toContain('id="search-suggestions"');
    });

    it('says which corrected words it searched, with a link to search them alone', async () => {
      const res = await app().inject({ method: 'GET', url: '/search/?q=celry' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('Including results for “<a href="/search/?q=celery">celery</a>”');
      const right = await app().inject({ method: 'GET', url: '/search/?q=celery' });
      expect(right.body).not.toContain('Including results for');
    });

    it('marks the words in each result, in its description or its grid cells, escaping everything', async () => {
      const res = await app().inject({ method: 'GET', url: '/search/?q=fedex' });
      expect(res.body).toMatch(/<p class="small excerpt">In grids: [^<]*<mark>Fedex<\/mark>/);
      const desc = await app().inject({ method: 'GET', url: '/search/?q=granular%20invalidation' });
      expect(desc.body).toContain('<mark>granular</mark>');
      const db = get().db;
      await db
        .updateTable('packages')
        .set({ repo_description: '<script>alert(1)</script> zebrafied <b>tags</b>' })
        .where('slug', '=', 'django-tagging')
        .execute();
      await reindexPackages(db, [
        (await db.selectFrom('packages').select('id').where('slug', '=', 'django-tagging').executeTakeFirstOrThrow()).id,
      ]);
      const xss = await app().inject({ method: 'GET', url: '/search/?q=zebrafied' });
      expect(xss.body).toContain('&lt;script>alert(1)&lt;/script> <mark>zebrafied</mark> &lt;b>tags&lt;/b>');
      expect(xss.body).not.toContain('<script>alert(1)');
      // A word far into a long description is still shown: the excerpt starts shortly before it.
      await db
        .updateTable('packages')
        .set({ repo_description: `${'lorem ipsum dolor '.repeat(30)}quaggafied at the end` })
        .where('slug', '=', 'django-tagging')
        .execute();
      await reindexPackages(db, [
        (await db.selectFrom('packages').select('id').where('slug', '=', 'django-tagging').executeTakeFirstOrThrow()).id,
      ]);
      const late = await app().inject({ method: 'GET', url: '/search/?q=quaggafied' });
      expect(late.body).toMatch(/<p>…[a-z ]{40,80}<mark>quaggafied<\/mark> at the end<\/p>/);
    });

    it('sorts the matches by stars, score, last commit or last release; an unknown sort means relevance', async () => {
      const stars = await app().inject({ method: 'GET', url: '/search/?q=registration&sort=stars' });
      expect(stars.statusCode).toBe(200);
      expect(stars.body).toContain('<option value="stars" selected');
      const counts = [...stars.body.matchAll(/([\d,]+) stars ·/g)].map((m) => Number((m[1] ?? '').replace(/,/g, '')));
      expect(counts.length).toBeGreaterThan(3);
      expect(counts).toEqual([...counts].sort((a, b) => b - a));
      // The sort is kept by the pager and the correction link.
      const typo = await app().inject({ method: 'GET', url: '/search/?q=celry&sort=activity' });
      expect(typo.body).toContain('href="/search/?q=celery&amp;sort=activity"');
      for (const sort of ['score', 'released', 'nonsense', '%00']) {
        const r = await app().inject({ method: 'GET', url: `/search/?q=cache&sort=${sort}` });
        expect(r.statusCode).toBe(200);
      }
      const odd = await app().inject({ method: 'GET', url: '/search/?q=cache&sort=nonsense' });
      expect(odd.body).toContain('<option value selected>Relevance</option>');
    });

    it('limits searches per address and minute: a 429 page with Retry-After, empty queries not counted', async () => {
      const { app: limited } = await createTestApp(get(), { RATE_LIMIT_SEARCHES_PER_MINUTE: '3' });
      try {
        const headers = { accept: 'text/html' };
        for (const url of ['/search/?q=cache', '/search/suggestions/?q=cach', '/search/opensearch/suggestions/?q=ca'])
          expect((await limited.inject({ url, headers })).statusCode).toBe(200);
        expect((await limited.inject({ url: '/search/?q=', headers })).statusCode).toBe(200);
        const over = await limited.inject({ url: '/search/?q=cache', headers });
        expect(over.statusCode).toBe(429);
        expect(over.headers['content-type']).toContain('text/html');
        expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
        expect(Number(over.headers['retry-after'])).toBeLessThanOrEqual(60);
        expect(over.body).toContain('throttled');
        expect((await limited.inject({ url: '/search/suggestions/?q=cache', headers: { 'hx-request': 'true' } })).statusCode).toBe(429);
        // The API has its own budget.
        expect((await limited.inject({ url: '/api/v4/search/?q=cache' })).statusCode).toBe(200);
      } finally {
        await limited.close();
      }
    });

    it('remembers searches that found nothing for the staff: not with a filter, not from suggestions or the API', async () => {
      const db = get().db;
      const count = async (q: string): Promise<number> =>
        (await db.selectFrom('search_misses').select('count').where('query', '=', q).executeTakeFirst())?.count ?? 0;
      await app().inject({ url: '/search/?q=Quuxified%20Zorbling' });
      await app().inject({ url: '/search/?q=quuxified%20%20zorbling' });
      expect(await count('quuxified zorbling')).toBe(2);
      await app().inject({ url: '/search/?q=quuxified%20zorbling&python3=1' });
      await app().inject({ url: '/search/suggestions/?q=quuxified%20zorbling' });
      await app().inject({ url: '/api/v4/search/?q=quuxified%20zorbling' });
      expect(await count('quuxified zorbling')).toBe(2);
      await app().inject({ url: '/search/?q=taggit' });
      expect(await count('taggit')).toBe(0);
      await recordSearchMiss(db, '<script>zorbling');

      const anonymous = await app().inject({ url: '/staff/search-misses/', headers: { accept: 'text/html' } });
      expect(anonymous.statusCode).toBe(401);
      const user = await signInAs(db, 'walt');
      expect((await app().inject({ url: '/staff/search-misses/', headers: { cookie: user.cookie, accept: 'text/html' } })).statusCode).toBe(
        403,
      );
      const staff = await signInAs(db, 'sam', { staff: true });
      const page = await app().inject({ url: '/staff/search-misses/', headers: { cookie: staff.cookie } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toMatch(/>quuxified zorbling<\/a><\/td><td class="num">2<\/td>/);
      expect(page.body).toContain('&lt;script>zorbling');
      expect(page.body).not.toContain('<script>zorbling');
    });

    it('/search/ with no query shows the form, no error', async () => {
      const res = await app().inject({ method: 'GET', url: '/search/' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('name="category"');
    });

    it('escapes the query everywhere', async () => {
      const res = await app().inject({ method: 'GET', url: '/search/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%22' });
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('<script>alert(1)');
      expect(res.body).toContain('&lt;script>alert(1)&lt;/script>');
    });

    it('filters by category, Python 3 and active, and pages', async () => {
      const fw = await app().inject({ method: 'GET', url: '/search/?q=cms&category=frameworks' });
      expect(fw.body).toContain('href="/packages/p/django-cms/"');
      expect(fw.body).not.toContain('href="/grids/g/cms/"');
      expect(fw.body).toContain('<option value="frameworks" selected');
      const py3 = await app().inject({ method: 'GET', url: '/search/?q=oauth&python3=1&active=1' });
      expect(py3.statusCode).toBe(200);
      const p1 = await app().inject({ method: 'GET', url: '/search/?q=django' });
      // "django" is in nearly every document: the page says only the best-weighted are ranked.
      expect(p1.body).toMatch(/\d+\+ results: the \d+ best-weighted matches/);
      const few = await app().inject({ method: 'GET', url: '/search/?q=taggit' });
      expect(few.body).toMatch(/<p class="muted">\d+ results?<\/p>/);
      expect(p1.body).toContain('href="/search/?q=django&amp;page=2"');
      const p2 = await app().inject({ method: 'GET', url: '/search/?q=django&page=2' });
      expect(p2.body).toContain('Page 2 of');
      const none = await app().inject({ method: 'GET', url: '/search/?q=zzqqxxyy' });
      expect(none.body).toContain('No packages or grids match');
      const bad = await app().inject({ method: 'GET', url: '/search/?q=django&page=-4&category=%00' });
      expect(bad.statusCode).toBe(200);
    });

    it('/search/suggestions/ returns an htmx fragment with load more', async () => {
      const res = await app().inject({ method: 'GET', url: '/search/suggestions/?q=django', headers: { 'hx-request': 'true' } });
      expect(res.statusCode).toBe(200);
      expect(res.body.startsWith('<ul class="suggestions"')).toBe(true);
      expect(res.body).not.toContain('<html');
      expect((res.body.match(/class="suggestion"/g) ?? []).length).toBe(10);
      expect(res.body).toContain('hx-get="/search/suggestions/?q=django&amp;page=2"');
      const more = await app().inject({ method: 'GET', url: '/search/suggestions/?q=django&page=2' });
      expect(more.body.startsWith('<li class="suggestion"')).toBe(true);
      expect((await app().inject({ method: 'GET', url: '/search/suggestions/?q=' })).body).toBe('');
      const nothing = await app().inject({ method: 'GET', url: '/search/suggestions/?q=zzqqxxyy' });
      expect(nothing.body).toContain('No matches');
    });

    it('/search/opensearch/suggestions/ returns [q, titles, [], links]', async () => {
      const res = await app().inject({ method: 'GET', url: '/search/opensearch/suggestions/?q=taggit' });
      expect(res.statusCode).toBe(200);
      const body = res.json() as [string, string[], string[], string[]];
      expect(body[0]).toBe('taggit');
      expect(body[1].length).toBeGreaterThan(0);
      expect(body[1].length).toBeLessThanOrEqual(15);
      expect(body[1][0]).toBe('django-taggit');
      expect(body[2]).toEqual([]);
      expect(body[3][0]).toBe('http://localhost:8000/packages/p/django-taggit/');
      expect((await app().inject({ method: 'GET', url: '/search/opensearch/suggestions/' })).json()).toEqual(['', [], [], []]);
    });
  },
  { seeded: true },
);
