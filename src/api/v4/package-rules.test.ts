import { expect, it } from 'vitest';
import { describeEachDb } from '../../../test/db.js';
import { appForSuite } from '../../../test/app.js';

interface Rules {
  id: number;
  score: { stored: number; now: number; months_since_commit: number | null; breakdown: { rule: string; points: number; reason: string }[] };
  search_weight: {
    stored: number;
    now: number;
    points: number;
    max_points: number;
    breakdown: { rule: string; points: number; max: number; reason: string }[];
  };
}

describeEachDb(
  'GET /api/v4/packages/{key}/rules/',
  (get) => {
    const app = appForSuite(get);

    it('gives the score and search weight with every line, by id and by slug, matching the stored values', async () => {
      const byId = await app().inject({ url: '/api/v4/packages/4059/rules/' });
      expect(byId.statusCode).toBe(200);
      expect(byId.headers['content-type']).toContain('application/json');
      const rules = byId.json<Rules>();
      expect(rules.id).toBe(4059);
      const stored = await get()
        .db.selectFrom('packages')
        .select(['score', 'search_weight'])
        .where('id', '=', 4059)
        .executeTakeFirstOrThrow();
      expect(rules.score.stored).toBe(stored.score);
      expect(rules.search_weight.stored).toBe(stored.search_weight);
      expect(rules.score.now).toBe(rules.score.stored);
      expect(rules.score.breakdown.map((l) => l.rule)).toContain('stars');
      const w = rules.search_weight;
      expect(w.breakdown.map((l) => l.rule)).toEqual([
        'deprecated',
        'description',
        'downloads',
        'forks',
        'last_updated',
        'recent_release',
        'usage',
        'watchers',
      ]);
      expect(w.breakdown.every((l) => l.points >= 0 && l.points <= l.max && l.reason.length > 0)).toBe(true);
      expect(w.points).toBe(w.breakdown.reduce((a, l) => a + l.points, 0));
      expect(w.max_points).toBe(160);
      expect(w.now).toBe(Math.trunc((w.points / 160) * 100));
      expect(w.stored).toBe(w.now);
      const bySlug = await app().inject({ url: '/api/v4/packages/ansible-django-stack/rules/' });
      expect(bySlug.json()).toEqual(rules);
    });

    it('answers an unknown package with 404, a missing slash with 301, and takes no writes', async () => {
      const missing = await app().inject({ url: '/api/v4/packages/99999999/rules/' });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toHaveProperty('detail');
      const slashless = await app().inject({ url: '/api/v4/packages/4059/rules' });
      expect(slashless.statusCode).toBe(301);
      const post = await app().inject({ method: 'POST', url: '/api/v4/packages/4059/rules/', payload: {} });
      expect(post.statusCode).toBeGreaterThanOrEqual(400);
      expect(post.statusCode).toBeLessThan(500);
    });

    it('the rules page shows the same stored values', async () => {
      const rules = (await app().inject({ url: '/api/v4/packages/4059/rules/' })).json<Rules>();
      const page = await app().inject({ url: '/packages/p/ansible-django-stack/rules/' });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(`Stored score: <strong>${rules.score.stored}</strong>`);
      expect(page.body).toContain(`Search weight: ${rules.search_weight.stored} / 100`);
    });
  },
  { seeded: true },
);
