import { mkdirSync, existsSync, writeFileSync, readFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { openDatabase } from '../src/db/index.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedDemoData } from '../src/interchange/demo-seed.js';
import { TEMPLATE_DIR, templatePaths } from './template-paths.js';

function migrationsHash(): string {
  const h = createHash('sha256');
  const dir = path.resolve('src/db/migrations');
  for (const f of readdirSync(dir).sort()) h.update(f).update(readFileSync(path.join(dir, f)));
  for (const f of ['src/interchange/snapshot-import.ts', 'src/interchange/import.service.ts', 'src/interchange/interchange.repository.ts']) h.update(readFileSync(f));
  return h.digest('hex').slice(0, 16);
}

/** Builds migrated (and migrated + seeded) PGlite templates once; each test copies one in about a second. */
export default async function setup(): Promise<void> {
  mkdirSync(TEMPLATE_DIR, { recursive: true });
  const hash = migrationsHash();
  const { empty, seeded } = templatePaths(hash);
  process.env.PACKGRID_TEST_TEMPLATE_HASH = hash;
  if (existsSync(empty) && existsSync(seeded)) return;
  const h = await openDatabase({});
  try {
    await migrateToLatest(h.db);
    const pg = h.pglite;
    if (!pg) throw new Error('expected PGlite');
    writeFileSync(empty, Buffer.from(await (await pg.dumpDataDir('gzip')).arrayBuffer()));
    await seedDemoData(h.db, 'America/New_York');
    writeFileSync(seeded, Buffer.from(await (await pg.dumpDataDir('gzip')).arrayBuffer()));
  } finally {
    await h.close();
  }
}
