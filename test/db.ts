import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { describe, afterAll, beforeAll } from 'vitest';
import { openDatabase, type DatabaseHandle, type Db } from '../src/db/index.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedDemoData } from '../src/interchange/demo-seed.js';
import { emptyTemplatePath, TEST_SEED_ZONE, testSchemaPrefix } from './template-paths.js';

export type DbKind = 'pglite' | 'pg';

/** The databases the suite runs on: PGlite always, PostgreSQL too when TEST_DATABASE_URL is set. */
export const DB_KINDS: DbKind[] = process.env.TEST_DATABASE_URL ? ['pglite', 'pg'] : ['pglite'];

/** An isolated database for one test file. */
export interface TestDb {
  readonly kind: DbKind;
  readonly handle: DatabaseHandle;
  readonly db: Db;
  /** PostgreSQL only: the schema this test works in (worker processes need it). */
  readonly schema: string | undefined;
  close(): Promise<void>;
}

/** Opens a fresh database: PGlite from the migrated template, or a new schema on TEST_DATABASE_URL. */
export async function createTestDb(kind: DbKind, opts: { seeded?: boolean } = {}): Promise<TestDb> {
  if (kind === 'pglite') {
    const hash = process.env.PACKGRID_TEST_TEMPLATE_HASH;
    const seededFile = process.env.PACKGRID_TEST_SEEDED_TEMPLATE;
    if (!hash || !seededFile) throw new Error('test templates missing: run through vitest (test/global-setup.ts)');
    const blob = new Blob([readFileSync(opts.seeded ? seededFile : emptyTemplatePath(hash))]);
    const handle = await openDatabase({ loadDataDir: blob });
    return { kind, handle, db: handle.db, schema: undefined, close: () => handle.close() };
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `${testSchemaPrefix()}${randomBytes(6).toString('hex')}`;
  const admin = await openDatabase({ databaseUrl: url, poolSize: 1 });
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(admin.db);
  await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(admin.db);
  await admin.close();
  const handle = await openDatabase({ databaseUrl: url, schema, poolSize: 4 });
  await migrateToLatest(handle.db);
  if (opts.seeded) await seedDemoData(handle.db, TEST_SEED_ZONE);
  return {
    kind,
    handle,
    db: handle.db,
    schema,
    // The schema is dropped with the run's others when the run ends (test/global-setup.ts), not here: Kysely's
    // migrator lists every schema with has_schema_privilege(), which fails on one dropped under it by another file.
    close: () => handle.close(),
  };
}

/** Runs a suite once per database kind, with a fresh database for the suite. */
export function describeEachDb(name: string, fn: (get: () => TestDb) => void, opts: { seeded?: boolean } = {}): void {
  for (const kind of DB_KINDS) {
    describe(`${name} [${kind}]`, () => {
      let t: TestDb | undefined;
      beforeAll(async () => {
        t = await createTestDb(kind, opts);
      });
      afterAll(async () => {
        await t?.close();
      });
      fn(() => {
        if (!t) throw new Error('database not ready');
        return t;
      });
    });
  }
}
