import { Migrator, sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDb } from '../../test/db.js';
import { migrateToLatest } from '../db/migrate.js';
import { migrations } from '../db/migrations/index.js';
import { listSearchMisses, rebuildSearchIndex, recordSearchMiss, reindexGrids, reindexPackages, search } from './search.service.js';

// Fixed so the weights (which age with time) are the same on every run.
const NOW = '2026-06-01T00:00:00Z';

/** [query, slug that must be in the top 3, what the query exercises] over the real seeded data. */
const RELEVANCE: [string, string, string][] = [
  // typos
  ['djnago-rest-framework', 'django-rest-framework', 'typo in the prefix'],
  ['debug-tolbar', 'django-debug-toolbar', 'typo'],
  ['registraton', 'django-registration', 'typo'],
  ['grapelli', 'django-grappelli', 'typo'],
  ['oauth tolkit', 'django-oauth-toolkit', 'typo in the second word'],
  ['cachops', 'cacheops', 'typo'],
  ['revesion', 'django-reversion', 'typo'],
  ['celry', 'django-celery', 'typo'],
  ['tastypi', 'django-tastypie', 'typo, cut short'],
  ['djano-cms', 'django-cms', 'typo in the prefix, short name'],
  // typos in words that are not in any name (corrected against the index's vocabulary)
  ['multiprocesing', 'django-q', 'typo in a description word'],
  ['invalidaton', 'cacheops', 'typo in a description word'],
  ['playbok', 'ansible-django-stack', 'typo in a description word'],
  ['opensteetmap', 'django-location-field', 'typo in a description word'],
  // forms of a name people type
  ['djangorestframework', 'django-rest-framework', 'glued slug, as on PyPI'],
  ['djangodebugtoolbar', 'django-debug-toolbar', 'glued slug'],
  ['drf', 'django-rest-framework', 'initials'],
  ['ddt', 'django-debug-toolbar', 'initials'],
  // partial names and prefixes while typing
  ['multiproc', 'django-q', 'prefix of a description word'],
  ['procrastinat', 'procrastinate', 'prefix'],
  ['debug', 'django-debug-toolbar', 'one word of the name'],
  ['push notif', 'django-push-notifications', 'prefix of the last word'],
  ['oauth toolkit', 'django-oauth-toolkit', 'name without the prefix'],
  ['taggit', 'django-taggit', 'name without the prefix'],
  ['haystack', 'haystack', 'exact name'],
  ['mptt', 'django-mptt', 'name without the prefix'],
  ['django-debug-toolbar', 'django-debug-toolbar', 'full slug'],
  ['Django REST Framework', 'django-rest-framework', 'full title'],
  ['websocket redis', 'django-websocket-redis', 'two words of the name'],
  // words only in the description
  ['granular invalidation', 'cacheops', 'description words'],
  ['orm cache invalidation', 'cacheops', 'description words'],
  ['multiprocessing', 'django-q', 'description word'],
  ['playbook', 'ansible-django-stack', 'description word'],
  ['two-factor', 'django-otp', 'hyphenated description word'],
  ['openstreetmap', 'django-location-field', 'description word'],
  ['real-time logging', 'django-sentry', 'description words'],
  ['pre-order traversal', 'django-mptt', 'description phrase'],
  ['"modified pre-order"', 'django-mptt', 'quoted phrase'],
  // some of the words, when no document holds all of them
  ['social login', 'django-social-auth', 'no document holds both words'],
  // words only in grid features and cells
  ['fedex', 'satchmo', 'grid cell text'],
  ['sermepa', 'satchmo', 'grid cell text'],
  ['basehttpauth', 'piston', 'grid cell text'],
  ['followers', 'pinax', 'grid feature with a "+" cell'],
  // category words together with a name word
  ['cms framework', 'django-cms', 'category word'],
  ['pinax framework', 'pinax', 'category word'],
];

describeEachDb(
  'search over the real data',
  (get) => {
    beforeAll(async () => {
      await rebuildSearchIndex(get().db, NOW);
    }, 120_000);

    describe('relevance set', () => {
      for (const [q, slug, why] of RELEVANCE) {
        it(`"${q}" finds ${slug} in the top 3 (${why})`, async () => {
          const page = await search(get().db, q, { limit: 3 });
          expect(page.hits.map((h) => h.slug)).toContain(slug);
        });
      }
    });

    it('the common prefix does not drown the name: "django-taggit" puts django-taggit first', async () => {
      const page = await search(get().db, 'django taggit', { limit: 5 });
      expect(page.hits[0]?.slug).toBe('django-taggit');
    });

    it('"djnago-rest": names that start with the words come before names that merely hold them', async () => {
      const page = await search(get().db, 'djnago-rest', { limit: 20 });
      const slugs = page.hits.map((h) => h.slug);
      const at = (slug: string): number => (slugs.includes(slug) ? slugs.indexOf(slug) : Infinity);
      expect(at('django-rest-framework')).toBeLessThan(10);
      for (const later of ['django-simple-rest', 'django-admin-ip-restrictor'])
        for (const first of ['django-rest-framework', 'django-rest-registration', 'django-rest-tools'])
          expect(at(first)).toBeLessThan(at(later));
      // The same answer as the query spelt right.
      expect(slugs).toEqual((await search(get().db, 'django-rest', { limit: 20 })).hits.map((h) => h.slug));
    });

    it('-exclusion removes matching results, from the prefix and fuzzy parts too', async () => {
      const all = await search(get().db, 'thumbnail', { limit: 50 });
      expect(all.hits.some((h) => h.slug === 'sorl-thumbnail')).toBe(true);
      const without = await search(get().db, 'thumbnail -sorl', { limit: 50 });
      expect(without.hits.length).toBeGreaterThan(0);
      expect(without.hits.some((h) => h.slug === 'sorl-thumbnail')).toBe(false);
    });

    it('finds grids as well as packages', async () => {
      const page = await search(get().db, 'payment processing', { limit: 5 });
      expect(page.hits.some((h) => h.itemType === 'grid' && h.slug === 'payment-processing')).toBe(true);
    });

    it('odd, empty, overlong and SQL-ish queries answer sensibly and never throw', async () => {
      const odd = [
        '',
        '   ',
        '%',
        '%%%',
        "'",
        '"',
        '""',
        '\\',
        '-',
        '--',
        '- -',
        '&|!:*()',
        "'; DROP TABLE packages; --",
        'a\u0000b',
        '🦄',
        'or',
        'the',
        'x'.repeat(5000),
        'django '.repeat(300),
        '<script>alert(1)</script>',
        'null',
        ':*',
        'foo:*B',
        '!!!django',
      ];
      for (const q of odd) {
        const page = await search(get().db, q, { limit: 20 });
        expect(page.hits.length).toBeLessThanOrEqual(20);
        expect(page.query.length).toBeLessThanOrEqual(200);
      }
      expect((await search(get().db, '', { limit: 20 })).hits).toEqual([]);
      const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM packages`.execute(get().db);
      expect(r.rows[0]?.n).toBeGreaterThan(800);
      expect((await search(get().db, 'django '.repeat(300), { limit: 5 })).hits[0]?.slug).toBe('django');
    });

    it('filters: category, Python 3, active only; pagination', async () => {
      const apps = await search(get().db, 'cms', { limit: 50, filters: { category: 'frameworks' } });
      expect(apps.hits.length).toBeGreaterThan(0);
      expect(apps.hits.every((h) => h.itemType === 'package' && h.categorySlug === 'frameworks')).toBe(true);
      const py3 = await search(get().db, 'oauth', { limit: 50, filters: { python3: true } });
      expect(py3.hits.every((h) => h.supportsPython3 === true)).toBe(true);
      const active = await search(get().db, 'registration', { limit: 50, filters: { activeOnly: true } });
      expect(active.hits.every((h) => h.isActive)).toBe(true);
      const p1 = await search(get().db, 'django', { limit: 10, offset: 0 });
      const p2 = await search(get().db, 'django', { limit: 10, offset: 10 });
      expect(p1.total).toBeGreaterThan(20);
      expect(p2.total).toBe(p1.total);
      expect(p2.hits.map((h) => h.slug).filter((s) => p1.hits.some((x) => x.slug === s))).toEqual([]);
      const past = await search(get().db, 'django', { limit: 10, offset: 100_000 });
      expect(past.hits).toEqual([]);
      expect(past.total).toBe(p1.total);
    });

    it('stores score and weight on the package and in its document', async () => {
      const r = await sql<{ score: number; search_weight: number; weight: number; dscore: number }>`
        SELECT p.score, p.search_weight, d.weight, d.score AS dscore FROM packages p
        JOIN search_documents d ON d.item_type = 'package' AND d.item_id = p.id WHERE p.slug = 'django-oauth-toolkit'`.execute(get().db);
      const row = r.rows[0];
      expect(row).toBeDefined();
      expect(row?.weight).toBe(row?.search_weight);
      expect(row?.dscore).toBe(row?.score);
      expect(row?.score).toBeGreaterThan(0);
    });

    it('a package edit is searchable in the same transaction, and a rollback leaves no trace', async () => {
      const db = get().db;
      const p = await db.selectFrom('packages').select(['id']).where('slug', '=', 'django-taggit').executeTakeFirstOrThrow();
      await db
        .transaction()
        .execute(async (trx) => {
          await trx.updateTable('packages').set({ repo_description: 'Quokkafied tagging' }).where('id', '=', p.id).execute();
          await reindexPackages(trx, [p.id]);
          const inside = await search(trx, 'quokkafied', { limit: 3 });
          expect(inside.hits.map((h) => h.slug)).toEqual(['django-taggit']);
          throw new Error('rollback');
        })
        .catch((e: unknown) => {
          if (!(e instanceof Error) || e.message !== 'rollback') throw e;
        });
      expect((await search(db, 'quokkafied', { limit: 3 })).hits).toEqual([]);
      expect((await search(db, 'taggit', { limit: 3 })).hits[0]?.slug).toBe('django-taggit');
    });

    it('grid edits reach the documents of the grid and of its packages; deletions drop documents', async () => {
      const db = get().db;
      const grid = await db.selectFrom('grids').select(['id']).where('slug', '=', 'payment-processing').executeTakeFirstOrThrow();
      const member = await db
        .selectFrom('grid_packages as gp')
        .innerJoin('packages as p', 'p.id', 'gp.package_id')
        .select(['p.id', 'p.slug'])
        .where('gp.grid_id', '=', grid.id)
        .executeTakeFirstOrThrow();
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('grids').set({ title: 'Zebracorn Payments' }).where('id', '=', grid.id).execute();
        await reindexGrids(trx, [grid.id]);
      });
      const found = await search(db, 'zebracorn', { limit: 50 });
      expect(found.hits.some((h) => h.itemType === 'grid' && h.itemId === grid.id)).toBe(true);
      expect(found.hits.some((h) => h.itemType === 'package' && h.slug === member.slug)).toBe(true);

      const temp = await db
        .insertInto('packages')
        .values({ title: 'Wombatizer', slug: 'django-wombatizer', category_id: 1, repo_url: 'https://github.com/x/django-wombatizer' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await reindexPackages(db, [temp.id]);
      expect((await search(db, 'wombatizer', { limit: 3 })).hits[0]?.slug).toBe('django-wombatizer');
      await db.deleteFrom('packages').where('id', '=', temp.id).execute();
      await reindexPackages(db, [temp.id]);
      expect((await search(db, 'wombatizer', { limit: 3 })).hits).toEqual([]);
    });

    it('a misspelt word is searched as the closest word of the index too, and the page says which', async () => {
      const db = get().db;
      const typo = await search(db, 'celry', { limit: 5 });
      expect(typo.corrected).toBe('celery');
      expect(typo.hits[0]?.slug).toBe('django-celery');
      const right = await search(db, 'celery', { limit: 5 });
      expect(right.corrected).toBeNull();
      // Words in quotes are meant as typed; so is a word some document holds, in a grid cell or as another form.
      expect((await search(db, '"celry"', { limit: 5 })).corrected).toBeNull();
      expect((await search(db, 'fedex', { limit: 5 })).corrected).toBeNull();
      expect((await search(db, 'taggings', { limit: 5 })).corrected).toBeNull();
      // The exclusion stays in force for the corrected words.
      const excluded = await search(db, 'thumbnial -sorl', { limit: 50 });
      expect(excluded.corrected).toBe('thumbnail -sorl');
      expect(excluded.hits.some((h) => h.slug === 'easy-thumbnails')).toBe(true);
      expect(excluded.hits.some((h) => h.slug === 'sorl-thumbnail')).toBe(false);
    });

    it('says where the words are when asked: the description, else the grid cells; never by default', async () => {
      const db = get().db;
      const marked = (h: { excerpt: { parts: readonly { text: string; mark: boolean }[] } | null } | undefined): string[] =>
        h?.excerpt?.parts.filter((x) => x.mark).map((x) => x.text.toLowerCase()) ?? [];
      const cell = await search(db, 'fedex', { limit: 3, excerpts: true });
      const satchmo = cell.hits.find((h) => h.slug === 'satchmo');
      expect(satchmo?.excerpt?.where).toBe('grids');
      expect(marked(satchmo)).toContain('fedex');
      const words = await search(db, 'orm cache invalidation', { limit: 5, excerpts: true });
      const cacheops = words.hits.find((h) => h.slug === 'cacheops');
      expect(cacheops?.excerpt?.where).toBe('description');
      expect(marked(cacheops)).toEqual(expect.arrayContaining(['orm', 'cache', 'invalidation']));
      // The whole description, marks and all, is kept (the page decides how much to show).
      expect(cacheops?.excerpt?.parts.map((x) => x.text).join('')).toBe(cacheops?.description);
      // A corrected word is marked as corrected.
      const typo = await search(db, 'celry', { limit: 1, excerpts: true });
      expect(marked(typo.hits[0])).toEqual(['celery']);
      expect((await search(db, 'fedex', { limit: 3 })).hits.every((h) => h.excerpt === null)).toBe(true);
    });

    it('orders by a figure when asked, relevance breaking ties, pages never overlapping', async () => {
      const db = get().db;
      const byStars = await search(db, 'cache', { limit: 10, sort: 'stars' });
      const stars = byStars.hits.map((h) => h.repoWatchers);
      expect(stars).toEqual([...stars].sort((a, b) => b - a));
      const activity = (await search(db, 'cache', { limit: 10, sort: 'activity' })).hits.map((h) => h.lastCommitted ?? '');
      const dated = activity.filter((d) => d !== '');
      expect(dated).toEqual([...dated].sort().reverse());
      // Documents holding every word come first, each group by stars: easy-thumbnails (203 stars) has no "image",
      // so sorl-thumbnail (113), which has both words, comes before it.
      const both = (await search(db, 'image thumbnails', { limit: 40, sort: 'stars' })).hits.map((h) => h.slug);
      expect(both.indexOf('sorl-thumbnail')).toBeLessThan(both.indexOf('easy-thumbnails'));
      expect(both.indexOf('easy-thumbnails')).toBeGreaterThan(0);
      const second = await search(db, 'cache', { limit: 10, offset: 10, sort: 'stars' });
      expect(second.hits.filter((h) => byStars.hits.some((x) => x.slug === h.slug))).toEqual([]);
      expect(second.total).toBe(byStars.total);
    });

    it('searches that found nothing: counted by cleaned query, most searched first, forgotten after 90 quiet days', async () => {
      const db = get().db;
      await recordSearchMiss(db, 'Ancient  Query', { now: '2026-03-01T00:00:00Z' });
      await recordSearchMiss(db, 'often', { now: '2026-05-01T00:00:00Z' });
      await recordSearchMiss(db, 'often', { now: '2026-05-02T00:00:00Z' });
      await recordSearchMiss(db, 'once', { now: '2026-05-03T00:00:00Z' });
      await recordSearchMiss(db, '   ', { now: '2026-05-03T00:00:00Z' });
      const listed = await listSearchMisses(db, { days: 60, now: '2026-05-10T00:00:00Z' });
      expect(listed.map((m) => [m.query, m.count])).toEqual([
        ['often', 2],
        ['once', 1],
      ]);
      expect((await listSearchMisses(db, { days: 365, now: '2026-05-10T00:00:00Z' })).map((m) => m.query)).toContain('ancient query');
      // The next miss recorded more than 90 days after its last search forgets it.
      await recordSearchMiss(db, 'later', { now: '2026-06-15T00:00:00Z' });
      const after = (await listSearchMisses(db, { days: 365, now: '2026-06-15T00:00:00Z' })).map((m) => m.query);
      expect(after).not.toContain('ancient query');
      expect(after).toEqual(expect.arrayContaining(['often', 'once', 'later']));
      // A flood of distinct queries keeps the table bounded, and the most searched survive it.
      for (let i = 0; i < 12; i++) await recordSearchMiss(db, `junk ${i}`, { now: '2026-06-16T00:00:00Z', keep: 5 });
      const flooded = await listSearchMisses(db, { days: 365, now: '2026-06-16T00:00:00Z' });
      expect(flooded.length).toBe(5);
      expect(flooded[0]?.query).toBe('often');
      // Counting again a query the flood is about to push out, or one long forgotten, works (its row is kept for it).
      const last = flooded[flooded.length - 1]?.query ?? '';
      await recordSearchMiss(db, last, { now: '2026-06-16T00:00:01Z', keep: 5 });
      await recordSearchMiss(db, 'often', { now: '2027-01-01T00:00:00Z', keep: 5 });
      const again = await listSearchMisses(db, { days: 400, now: '2027-01-01T00:00:00Z' });
      expect(again.find((m) => m.query === 'often')?.count).toBe(3);
    });

    it('a misspelt prefix on its own means the prefix: "djnago" answers as "django"', async () => {
      const db = get().db;
      const typo = await search(db, 'djnago', { limit: 5 });
      const right = await search(db, 'django', { limit: 5 });
      expect(typo.hits.map((h) => h.slug)).toEqual(right.hits.map((h) => h.slug));
      expect(typo.hits[0]?.slug).toBe('django');
    });

    it('the vocabulary follows edits in their transaction; a rebuild drops words no document holds', async () => {
      const db = get().db;
      const termCount = async (term: string): Promise<number> =>
        (await sql<{ n: number }>`SELECT count(*)::int AS n FROM search_terms WHERE term = ${term}`.execute(db)).rows[0]?.n ?? -1;
      await db
        .transaction()
        .execute(async (trx) => {
          const p = await trx
            .insertInto('packages')
            .values({
              title: 'Rolled',
              slug: 'django-rolled',
              category_id: 1,
              repo_url: 'https://github.com/x/django-rolled',
              repo_description: 'Wallabyfied',
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await reindexPackages(trx, [p.id]);
          expect((await search(trx, 'walabyfied', { limit: 3 })).hits[0]?.slug).toBe('django-rolled');
          throw new Error('rollback');
        })
        .catch((e: unknown) => {
          if (!(e instanceof Error) || e.message !== 'rollback') throw e;
        });
      expect(await termCount('wallabyfied')).toBe(0);

      const temp = await db
        .insertInto('packages')
        .values({
          title: 'Quokkafier',
          slug: 'django-quokkafier',
          category_id: 1,
          repo_url: 'https://github.com/x/django-quokkafier',
          repo_description: 'Marsupialize your querysets',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await reindexPackages(db, [temp.id]);
      expect(await termCount('marsupialize')).toBe(1);
      const found = await search(db, 'marsupialise querysets', { limit: 3 });
      expect(found.corrected).toBe('marsupialize querysets');
      expect(found.hits[0]?.slug).toBe('django-quokkafier');
      await db.deleteFrom('packages').where('id', '=', temp.id).execute();
      await reindexPackages(db, [temp.id]);
      expect((await search(db, 'marsupialise', { limit: 3 })).hits).toEqual([]);
      expect(await termCount('marsupialize')).toBe(1); // stale until the next rebuild, which is harmless
      await rebuildSearchIndex(db, NOW);
      expect(await termCount('marsupialize')).toBe(0);
      const counts = await sql<{ n: number }>`SELECT ndoc AS n FROM search_terms WHERE term = 'registration'`.execute(db);
      expect(counts.rows[0]?.n).toBeGreaterThan(5);
    });

    it('reindexing an unchanged package leaves its document row as it was (no rewrite, no index churn)', async () => {
      const db = get().db;
      const p = await db.selectFrom('packages').select(['id']).where('slug', '=', 'django-mptt').executeTakeFirstOrThrow();
      const version = async (): Promise<string | undefined> =>
        (
          await sql<{ v: string }>`SELECT xmin::text AS v FROM search_documents WHERE item_type = 'package' AND item_id = ${p.id}`.execute(
            db,
          )
        ).rows[0]?.v;
      await reindexPackages(db, [p.id], NOW);
      const before = await version();
      await reindexPackages(db, [p.id], NOW);
      expect(await version()).toBe(before);
      const { repo_description: description } = await db
        .selectFrom('packages')
        .select('repo_description')
        .where('id', '=', p.id)
        .executeTakeFirstOrThrow();
      await db
        .updateTable('packages')
        .set({ repo_description: `${description} Now with zebras.` })
        .where('id', '=', p.id)
        .execute();
      await reindexPackages(db, [p.id], NOW);
      expect(await version()).not.toBe(before);
      expect((await search(db, 'zebras', { limit: 3 })).hits[0]?.slug).toBe('django-mptt');
      // Put it back: later tests search this description.
      await db.updateTable('packages').set({ repo_description: description }).where('id', '=', p.id).execute();
      await reindexPackages(db, [p.id], NOW);
    });

    it('migration 0005 builds the vocabulary and the name forms from the documents already there', async () => {
      const db = get().db;
      const schema = (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(db)).rows[0]?.s ?? 'public';
      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, migrationTableSchema: schema });
      const down = await migrator.migrateTo('0004-search-speed');
      expect(down.error).toBeUndefined();
      expect((await sql<{ t: string | null }>`SELECT to_regclass('search_terms')::text AS t`.execute(db)).rows[0]?.t).toBeNull();
      // Documents written before 0005 had no name forms.
      await sql`UPDATE search_documents SET names = to_tsvector('simple', translate(title || ' ' || slug, '-_.', '   '))`.execute(db);
      expect(await migrateToLatest(db)).toEqual(['0005-search-terms', '0006-search-misses']);
      const terms = await sql<{ n: number }>`SELECT count(*)::int AS n FROM search_terms`.execute(db);
      expect(terms.rows[0]?.n).toBeGreaterThan(1000);
      const forms = await sql<{ slug: string }>`SELECT slug FROM search_documents
        WHERE names @@ to_tsquery('simple', 'drf') AND names @@ to_tsquery('simple', 'djangorestframework') ORDER BY slug`.execute(db);
      expect(forms.rows.map((r) => r.slug)).toContain('django-rest-framework');
      expect((await search(db, 'multiprocesing', { limit: 3 })).hits[0]?.slug).toBe('django-q');
    });
  },
  { seeded: true },
);
