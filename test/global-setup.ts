import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/index.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { buildDemoTemplate, seedInputsHash } from '../src/interchange/demo-template.js';
import { TEMPLATE_DIR, TEST_SEED_ZONE, emptyTemplatePath, testSchemaPrefix } from './template-paths.js';

/** Drops the PostgreSQL schemas this run's test files made (they keep them until the end; see test/db.ts). */
async function dropRunSchemas(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return;
  const admin = await openDatabase({ databaseUrl: url, poolSize: 1 });
  try {
    const r = await sql<{
      name: string;
    }>`SELECT nspname AS name FROM pg_namespace WHERE starts_with(nspname, ${testSchemaPrefix()})`.execute(admin.db);
    for (const { name } of r.rows) await sql`DROP SCHEMA IF EXISTS ${sql.id(name)} CASCADE`.execute(admin.db);
  } finally {
    await admin.close();
  }
}

/**
 * Builds the PGlite templates once per code version; each test copies one in about a second. The seeded one is
 * the same template `npm install` prebuilds for the server (so its loading path is tested too).
 */
export default async function setup(): Promise<() => Promise<void>> {
  // Inherited by the test processes: names this run's PostgreSQL schemas.
  process.env.PACKGRID_TEST_RUN = randomBytes(4).toString('hex');
  mkdirSync(TEMPLATE_DIR, { recursive: true });
  const hash = seedInputsHash();
  process.env.PACKGRID_TEST_TEMPLATE_HASH = hash;
  process.env.PACKGRID_TEST_SEEDED_TEMPLATE = await buildDemoTemplate(TEST_SEED_ZONE);
  const empty = emptyTemplatePath(hash);
  if (existsSync(empty)) return dropRunSchemas;
  const h = await openDatabase({});
  try {
    await migrateToLatest(h.db);
    const pg = h.pglite;
    if (!pg) throw new Error('expected PGlite');
    writeFileSync(empty, Buffer.from(await (await pg.dumpDataDir('gzip')).arrayBuffer()));
  } finally {
    await h.close();
  }
  return dropRunSchemas;
}
