import { mkdirSync, existsSync, writeFileSync, readFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { openDatabase } from '../src/db/index.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedDemoData } from '../src/interchange/demo-seed.js';
import { TEMPLATE_DIR, templatePaths } from './template-paths.js';

// Everything that decides what a template holds: the schema, the importers, the seed, scores and the search index.
const TEMPLATE_INPUTS = ['src/db', 'src/interchange', 'src/search', 'src/packages', 'demo-data'];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .filter((f) => !/\.test\.tsx?$/.test(f))
    .sort();
}

function templateHash(): string {
  const h = createHash('sha256');
  for (const f of TEMPLATE_INPUTS.flatMap((d) => filesUnder(path.resolve(d)))) h.update(f).update(readFileSync(f));
  return h.digest('hex').slice(0, 16);
}

/** Builds migrated (and migrated + seeded) PGlite templates once; each test copies one in about a second. */
export default async function setup(): Promise<void> {
  mkdirSync(TEMPLATE_DIR, { recursive: true });
  const hash = templateHash();
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
