import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../../test/db.js';
import { startFakeUpstream, type FakeUpstream } from '../../test/fake-upstream/server.js';
import { addPypiCopy, fakeRefreshDeps, insertPackage } from '../../test/refresh-helpers.js';
import { openDatabase } from '../db/index.js';
import { createDbRefreshRequester } from '../packages/refresh-request.js';
import { refreshTick } from './refresh-packages.job.js';

let fake: FakeUpstream;
beforeAll(async () => {
  fake = await startFakeUpstream();
});
afterAll(async () => {
  await fake.close();
});

describeEachDb('two refresh workers on one database', (get) => {
  it('never fetch the same package twice', async () => {
    const t = get();
    const ids: number[] = [];
    for (let i = 0; i < 40; i++) {
      fake.addGithubRepo('conc', `p${i}`, { stars: i });
      addPypiCopy(fake, `conc-p${i}`);
      ids.push(await insertPackage(t.db, `conc-p${i}`, `https://github.com/conc/p${i}`, `conc-p${i}`));
    }
    await createDbRefreshRequester(t.db).requestRefresh(ids, 'test');
    // On PostgreSQL the second worker has its own connection pool, as a separate process would.
    const url = process.env.TEST_DATABASE_URL;
    const other =
      t.kind === 'pg' && url !== undefined ? await openDatabase({ databaseUrl: url, schema: t.schema, poolSize: 4 }) : undefined;
    try {
      fake.resetCounts();
      const now = () => new Date().toISOString();
      // Small chunks so both runs interleave claims and writes.
      const [a, b] = await Promise.all([
        refreshTick(fakeRefreshDeps(fake, t.db, now, { chunkSize: 5 }, { timeoutMs: 10_000 }), { tickSeconds: 30, maxRequested: 25 }),
        refreshTick(fakeRefreshDeps(fake, other?.db ?? t.db, now, { chunkSize: 5 }, { timeoutMs: 10_000 }), {
          tickSeconds: 30,
          maxRequested: 25,
        }),
      ]);
      expect(a.failed + b.failed).toBe(0);
      expect(a.fetched + b.fetched).toBe(40);
      // Both really worked: the claim split the packages between them.
      expect(Math.min(a.fetched, b.fetched)).toBeGreaterThan(0);
      const byPath = fake.counts().byPath;
      for (let i = 0; i < 40; i++) expect(byPath[`/pypi/pypi/conc-p${i}/json`]).toBe(1);
      expect(await t.db.selectFrom('packages').select('id').where('fetch_requested_at', 'is not', null).execute()).toEqual([]);
    } finally {
      await other?.close();
    }
  });
});
