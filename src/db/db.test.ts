import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { describeEachDb } from '../../test/db.js';
import { ConfigError } from '../errors.js';
import { acquireDataDirLock } from './lock.js';
import { migrateToLatest } from './migrate.js';
import { migrations } from './migrations/index.js';

describeEachDb('migrations and constraints', (get) => {
  it('are applied and idempotent', async () => {
    const { db } = get();
    expect(await migrateToLatest(db)).toEqual([]);
    const applied = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
    expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
    const ext = await sql<{ extname: string }>`SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'`.execute(db);
    expect(ext.rows).toHaveLength(1);
  });

  it('enforce the original constraints and the ones it forgot', async () => {
    const { db } = get();
    const cat = await db.insertInto('categories').values({ title: 'App', slug: 'c-app' }).returning('id').executeTakeFirstOrThrow();
    const user = await db.insertInto('users').values({ username: 'alice' }).returning('id').executeTakeFirstOrThrow();
    const pkg = await db
      .insertInto('packages')
      .values({ title: 'P', slug: 'p-one', category_id: cat.id, repo_url: 'https://github.com/a/p' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const grid = await db.insertInto('grids').values({ title: 'G', slug: 'g-one' }).returning('id').executeTakeFirstOrThrow();
    const gp = await db
      .insertInto('grid_packages')
      .values({ grid_id: grid.id, package_id: pkg.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    const feat = await db.insertInto('features').values({ grid_id: grid.id, title: 'F' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('elements').values({ grid_package_id: gp.id, feature_id: feat.id, text: 'yes' }).execute();
    await db.insertInto('flagged_packages').values({ package_id: pkg.id, user_id: user.id, reason: 'spam' }).execute();
    await db.insertInto('versions').values({ package_id: pkg.id, number: '1.0' }).execute();

    const dup = (p: Promise<unknown>) => expect(p).rejects.toMatchObject({ code: '23505' });
    await dup(db.insertInto('packages').values({ title: 'P2', slug: 'p-one', category_id: cat.id }).execute());
    await dup(
      db.insertInto('packages').values({ title: 'P3', slug: 'p-three', category_id: cat.id, repo_url: 'https://github.com/a/p' }).execute(),
    );
    await dup(db.insertInto('grids').values({ title: 'G2', slug: 'g-one' }).execute());
    await dup(db.insertInto('grid_packages').values({ grid_id: grid.id, package_id: pkg.id }).execute());
    await dup(db.insertInto('elements').values({ grid_package_id: gp.id, feature_id: feat.id, text: 'no' }).execute());
    await dup(db.insertInto('flagged_packages').values({ package_id: pkg.id, user_id: user.id, reason: 'again' }).execute());
    await dup(db.insertInto('versions').values({ package_id: pkg.id, number: '1.0' }).execute());
    // Several packages may have no repository at all.
    await db
      .insertInto('packages')
      .values([
        { title: 'A', slug: 'no-repo-a', category_id: cat.id },
        { title: 'B', slug: 'no-repo-b', category_id: cat.id },
      ])
      .execute();
    // commits_over_52 is 52 weeks or nothing.
    await expect(
      db
        .updateTable('packages')
        .set({ commits_over_52: [1, 2, 3] })
        .where('id', '=', pkg.id)
        .execute(),
    ).rejects.toMatchObject({ code: '23514' });
    await db
      .updateTable('packages')
      .set({ commits_over_52: Array.from({ length: 52 }, (_, i) => i) })
      .where('id', '=', pkg.id)
      .execute();
    // A category in use cannot be deleted (PROTECT in the original).
    // PostgreSQL 15 reports foreign_key_violation, 18 (PGlite) restrict_violation.
    const err = await db
      .deleteFrom('categories')
      .where('id', '=', cat.id)
      .execute()
      .then(
        () => null,
        (e: { code?: string }) => e,
      );
    expect(['23503', '23001']).toContain(err?.code);
  });

  it('keeps microseconds and the difference between null and empty string', async () => {
    const { db } = get();
    const cat = await db.insertInto('categories').values({ title: 'T', slug: 'c-time' }).returning('id').executeTakeFirstOrThrow();
    await db
      .insertInto('packages')
      .values([
        { title: 'N', slug: 't-null', category_id: cat.id, documentation_url: null, last_fetched: '2026-02-15T11:07:46.826281-05:00' },
        { title: 'E', slug: 't-empty', category_id: cat.id, documentation_url: '' },
      ])
      .execute();
    const rows = await db
      .selectFrom('packages')
      .select(['slug', 'documentation_url', 'last_fetched'])
      .where('slug', 'in', ['t-null', 't-empty'])
      .orderBy('slug')
      .execute();
    expect(rows).toEqual([
      { slug: 't-empty', documentation_url: '', last_fetched: null },
      { slug: 't-null', documentation_url: null, last_fetched: '2026-02-15 16:07:46.826281+00' },
    ]);
  });
});

describe('the embedded database lock', () => {
  it('stops a second process with a clear message, and takes over a stale lock', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'packgrid-lock-'));
    // The parent process is alive, so a lock naming it is held.
    writeFileSync(path.join(dir, 'packgrid.lock'), String(process.ppid));
    expect(() => acquireDataDirLock(dir)).toThrow(ConfigError);
    expect(() => acquireDataDirLock(dir)).toThrow(/already in use by another packgrid process \(pid \d+\)/);
    // A lock left by a process that no longer exists is taken over.
    writeFileSync(path.join(dir, 'packgrid.lock'), '2147483646');
    const release = acquireDataDirLock(dir);
    expect(existsSync(path.join(dir, 'packgrid.lock'))).toBe(true);
    // Inside one process a second open is refused too, until the first lets go.
    expect(() => acquireDataDirLock(dir)).toThrow(/already open in this process/);
    release();
    expect(existsSync(path.join(dir, 'packgrid.lock'))).toBe(false);
    acquireDataDirLock(dir)();
  });
});
