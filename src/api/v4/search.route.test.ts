import { expect, it } from 'vitest';
import { describeEachDb } from '../../../test/db.js';
import { appForSuite } from '../../../test/app.js';

const FIELDS = [
  'description',
  'title',
  'title_no_prefix',
  'slug_no_prefix',
  'clean_title',
  'absolute_url',
  'created',
  'modified',
  'weight',
  'item_type',
  'slug',
  'category',
  'repo_watchers',
  'repo_forks',
  'pypi_downloads',
  'score',
  'usage',
  'participants',
  'last_committed',
  'last_released',
];

describeEachDb(
  'GET /api/v4/search/',
  (get) => {
    const app = appForSuite(get, { TIME_ZONE: 'America/New_York' });

    it('returns a bare array of at most 20 items in the original field order', async () => {
      const res = await app().inject({ method: 'GET', url: '/api/v4/search/?q=django' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('application/json');
      const body = res.json() as Record<string, unknown>[];
      expect(Array.isArray(body)).toBe(true);
      expect(body.length).toBe(20);
      for (const item of body) expect(Object.keys(item)).toEqual(FIELDS);
    });

    it('serializes a package hit like the original', async () => {
      const body = (await app().inject({ method: 'GET', url: '/api/v4/search/?q=django-oauth-toolkit' })).json() as Record<
        string,
        unknown
      >[];
      const hit = body.find((h) => h.slug === 'django-oauth-toolkit');
      expect(hit).toBeDefined();
      expect(hit?.item_type).toBe('package');
      expect(hit?.absolute_url).toBe('/packages/p/django-oauth-toolkit/');
      expect(hit?.category).toBe('App');
      expect(hit?.title_no_prefix).toBe(hit?.title);
      expect(hit?.slug_no_prefix).toBe('django-oauth-toolkit');
      expect(typeof hit?.participants).toBe('string');
      const sugar = (
        (await app().inject({ method: 'GET', url: '/api/v4/search/?q=templatetag%20sugar' })).json() as Record<string, unknown>[]
      )[0];
      expect(sugar?.slug).toBe('django-templatetag-sugar');
      expect(sugar?.participants).toBe('alex,bmihelac');
      expect(sugar?.last_committed).toBe('2014-03-24T00:28:06-04:00');
      expect(String(hit?.created)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?[+-]\d\d:\d\d$/);
      expect(hit?.repo_watchers).toBeGreaterThan(1000);
      expect(typeof hit?.score).toBe('number');
      expect(typeof hit?.weight).toBe('number');
    });

    it('serializes grids with their /grids/g/ url', async () => {
      const body = (await app().inject({ method: 'GET', url: '/api/v4/search/?q=payment%20processing' })).json() as Record<
        string,
        unknown
      >[];
      const grid = body.find((h) => h.item_type === 'grid');
      expect(grid?.absolute_url).toBe('/grids/g/payment-processing/');
      expect(grid?.category).toBe('');
      expect(grid?.last_committed).toBeNull();
    });

    it('answers missing, empty, odd and SQL-ish queries with 200 and an array', async () => {
      for (const q of [
        '',
        '?q=',
        '?q=%20',
        '?q=%25',
        "?q='%3B%20DROP%20TABLE%20packages%3B--",
        '?q=%00',
        `?q=${'x'.repeat(3000)}`,
        '?q=a&q=taggit',
        '?q[a]=1',
      ]) {
        const res = await app().inject({ method: 'GET', url: `/api/v4/search/${q}` });
        expect(res.statusCode).toBe(200);
        expect(Array.isArray(res.json())).toBe(true);
      }
      expect((await app().inject({ method: 'GET', url: '/api/v4/search/' })).json()).toEqual([]);
      const last = (await app().inject({ method: 'GET', url: '/api/v4/search/?q=a&q=taggit' })).json() as { slug: string }[];
      expect(last[0]?.slug).toBe('django-taggit');
    });

    it('is read-only', async () => {
      const res = await app().inject({ method: 'POST', url: '/api/v4/search/', payload: {} });
      expect([401, 403, 405]).toContain(res.statusCode);
    });
  },
  { seeded: true },
);
