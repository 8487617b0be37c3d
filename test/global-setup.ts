import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { openDatabase } from '../src/db/index.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { buildDemoTemplate, seedInputsHash } from '../src/interchange/demo-template.js';
import { TEMPLATE_DIR, TEST_SEED_ZONE, emptyTemplatePath } from './template-paths.js';

/**
 * Builds the PGlite templates once per code version; each test copies one in about a second. The seeded one is
 * the same template `npm install` prebuilds for the server (so its loading path is tested too).
 */
export default async function setup(): Promise<void> {
  mkdirSync(TEMPLATE_DIR, { recursive: true });
  const hash = seedInputsHash();
  process.env.PACKGRID_TEST_TEMPLATE_HASH = hash;
  process.env.PACKGRID_TEST_SEEDED_TEMPLATE = await buildDemoTemplate(TEST_SEED_ZONE);
  const empty = emptyTemplatePath(hash);
  if (existsSync(empty)) return;
  const h = await openDatabase({});
  try {
    await migrateToLatest(h.db);
    const pg = h.pglite;
    if (!pg) throw new Error('expected PGlite');
    writeFileSync(empty, Buffer.from(await (await pg.dumpDataDir('gzip')).arrayBuffer()));
  } finally {
    await h.close();
  }
}
