import { beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../../test/db.js';
import { createDbRefreshRequester } from '../packages/refresh-request.js';
import { editPackage } from '../packages/package.service.js';
import { addFeature, setCell } from '../grids/grid-content.service.js';
import { createGrid, editGrid, removeGrid } from '../grids/grid.service.js';
import { editCategory } from '../categories/category.service.js';
import { rebuildSearchIndex, search } from '../search/search.service.js';

async function slugsFor(db: Parameters<typeof search>[0], q: string): Promise<string[]> {
  return (await search(db, q, { limit: 20 })).hits.map((h) => h.slug);
}

describeEachDb(
  'every recorded edit keeps the search index in step, in the same transaction',
  (get) => {
    let userId = 0;
    beforeAll(async () => {
      const { db } = get();
      await rebuildSearchIndex(db);
      userId = (await db.insertInto('users').values({ username: 'editor' }).returning('id').executeTakeFirstOrThrow()).id;
    });

    it('finds a package by its new title as soon as the edit commits', async () => {
      const { db } = get();
      expect(await slugsFor(db, 'zanzibarquokka')).toEqual([]);
      await editPackage(db, createDbRefreshRequester(db), userId, 4059, { title: 'Zanzibarquokka stack' });
      expect((await slugsFor(db, 'zanzibarquokka'))[0]).toBe('ansible-django-stack');
    });

    it('finds a package by a word typed into one of its grid cells, and by its new grid', async () => {
      const { db } = get();
      const grid = await createGrid(db, userId, { title: 'Quokkamatic deployers', slug: 'quokkamatic-deployers', packages: [4059] });
      expect(await slugsFor(db, 'quokkamatic')).toContain('ansible-django-stack');
      const feature = await addFeature(db, { id: userId, staff: false }, grid.id, { title: 'Provisioner', description: '' });
      await setCell(db, { id: userId, staff: false }, grid.id, 4059, feature, 'ships a vagrantbox-wombat profile');
      expect((await slugsFor(db, 'wombat'))[0]).toBe('ansible-django-stack');
      // Deleting the grid takes its words out of its former members' documents.
      await removeGrid(db, userId, grid.id);
      expect(await slugsFor(db, 'wombat')).toEqual([]);
      expect(await slugsFor(db, 'quokkamatic')).toEqual([]);
    });

    it('takes the grid words out of a package removed from it, and follows a renamed category', async () => {
      const { db } = get();
      const grid = await createGrid(db, userId, { title: 'Platypusware comparisons', slug: 'platypusware', packages: [4059, 100] });
      expect(await slugsFor(db, 'platypusware')).toEqual(expect.arrayContaining(['ansible-django-stack', 'django-templatetag-sugar']));
      await editGrid(db, userId, grid.id, { packages: [100] });
      const after = await slugsFor(db, 'platypusware');
      expect(after).toContain('django-templatetag-sugar');
      expect(after).not.toContain('ansible-django-stack');
      await editCategory(db, userId, 4, { title: 'Echidnakit' });
      expect(await slugsFor(db, 'echidnakit')).toContain('ansible-django-stack');
    });
  },
  { seeded: true },
);
