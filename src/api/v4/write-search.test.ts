import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createToken, createUser } from '../../accounts/account.service.js';
import { rebuildSearchIndex } from '../../search/search.service.js';
import { describeEachDb } from '../../../test/db.js';
import { createTestApp } from '../../../test/app.js';

const H = { host: 'packgrid.test' };

// Every v4 write goes through a domain service that calls recordEdit, which reindexes search in the same
// transaction: a search right after the write must already see it (no rebuild in between).
describeEachDb(
  'api v4 writes reach search at once',
  (get) => {
    let app: FastifyInstance;
    let user: Record<string, string>;
    let staff: Record<string, string>;
    beforeAll(async () => {
      const db = get().db;
      await rebuildSearchIndex(db);
      ({ app } = await createTestApp(
        get(),
        { RATE_LIMIT_READS_PER_MINUTE: '0', RATE_LIMIT_WRITES_PER_MINUTE: '0' },
        { async requestRefresh() {} },
      ));
      await createUser(db, { username: 'searcher' });
      await createUser(db, { username: 'search-boss', staff: true });
      user = { ...H, authorization: `Token ${(await createToken(db, 'searcher')).key}` };
      staff = { ...H, authorization: `Token ${(await createToken(db, 'search-boss')).key}` };
    });
    afterAll(async () => app.close());

    const search = async (q: string): Promise<{ slug: string; item_type: string; title: string }[]> => {
      const res = await app.inject({ url: `/api/v4/search/?q=${encodeURIComponent(q)}`, headers: H });
      expect(res.statusCode).toBe(200);
      return res.json() as { slug: string; item_type: string; title: string }[];
    };
    const slugOf = async (id: number): Promise<string> =>
      (await get().db.selectFrom('packages').select('slug').where('id', '=', id).executeTakeFirstOrThrow()).slug;

    it('a PATCH of a package title makes search find it by the new word', async () => {
      const slug = await slugOf(4059);
      // Warm whatever the search endpoint caches, so the test also proves the write clears it.
      expect(await search('Zyxquorbant')).toEqual([]);
      const res = await app.inject({
        method: 'PATCH',
        url: '/api/v4/packages/4059/',
        headers: user,
        payload: { title: 'Zyxquorbant Toolkit' },
      });
      expect(res.statusCode).toBe(200);
      const hits = await search('Zyxquorbant');
      expect(hits.map((h) => h.slug)).toContain(slug);
      expect(hits.find((h) => h.slug === slug)?.title).toBe('Zyxquorbant Toolkit');
    });

    it('a POST makes a package findable and a staff DELETE removes it', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v4/packages/',
        headers: user,
        payload: { title: 'Plonkwidget', slug: 'django-plonkwidget', category: 1 },
      });
      expect(res.statusCode).toBe(201);
      const id = Number((res.json() as { id: number }).id);
      expect((await search('Plonkwidget')).map((h) => h.slug)).toContain('django-plonkwidget');
      expect((await app.inject({ method: 'DELETE', url: `/api/v4/packages/${id}/`, headers: staff })).statusCode).toBe(204);
      expect((await search('Plonkwidget')).map((h) => h.slug)).not.toContain('django-plonkwidget');
    });

    it('a grid written through v4 is findable by its words, and so are its packages', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v4/grids/',
        headers: user,
        payload: { title: 'Frobnicator Grid', slug: 'frobnicator-grid', description: 'Quuxified helpers', packages: [100] },
      });
      expect(res.statusCode).toBe(201);
      const id = Number((res.json() as { id: number }).id);
      const byTitle = await search('Frobnicator');
      expect(byTitle.some((h) => h.item_type === 'grid' && h.slug === 'frobnicator-grid')).toBe(true);
      // The grid's description is part of its member packages' search text.
      expect((await search('Quuxified')).map((h) => h.slug)).toContain(await slugOf(100));
      const renamed = await app.inject({
        method: 'PATCH',
        url: `/api/v4/grids/${id}/`,
        headers: user,
        payload: { title: 'Blorptastic Grid' },
      });
      expect(renamed.statusCode).toBe(200);
      expect((await search('Blorptastic')).some((h) => h.item_type === 'grid' && h.slug === 'frobnicator-grid')).toBe(true);
      expect((await app.inject({ method: 'DELETE', url: `/api/v4/grids/${id}/`, headers: staff })).statusCode).toBe(204);
      expect((await search('Blorptastic')).some((h) => h.item_type === 'grid')).toBe(false);
      expect((await search('Quuxified')).map((h) => h.slug)).not.toContain(await slugOf(100));
    });
  },
  { seeded: true },
);
