import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../db/index.js';
import { migrateToLatest } from '../db/migrate.js';
import { DEMO_DATA_DIR, seedDemoData } from './demo-seed.js';

const ROOT = path.resolve(DEMO_DATA_DIR, '..');

/** Everything that decides what a seeded database holds: schema, importers, seed, scores, search index, data. */
const INPUTS = ['src/db', 'src/interchange', 'src/search', 'src/packages', 'demo-data'];

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .filter((f) => !/\.test\.tsx?$/.test(f))
    .sort();
}

/** A short hash of every input of a seeded database, so a stale template is never used. */
export function seedInputsHash(extra = ''): string {
  const h = createHash('sha256').update(extra);
  for (const f of INPUTS.flatMap((d) => filesUnder(path.join(ROOT, d)))) h.update(path.relative(ROOT, f)).update(readFileSync(f));
  return h.digest('hex').slice(0, 16);
}

/** Where the template for a time zone lives (a cache beside the installed packages, rebuilt by `npm install`). */
export function demoTemplatePath(timeZone: string): string {
  return path.join(ROOT, 'node_modules', '.cache', 'packgrid', `demo-${seedInputsHash(timeZone)}.tar.gz`);
}

/**
 * Builds the migrated and seeded embedded database once, as a PGlite data-dir tarball. The first `npm start` then
 * loads it in about a second instead of running initdb and the whole seed (several seconds on two cores).
 */
export async function buildDemoTemplate(timeZone: string): Promise<string> {
  const file = demoTemplatePath(timeZone);
  if (existsSync(file)) return file;
  const h = await openDatabase({});
  try {
    await migrateToLatest(h.db);
    await seedDemoData(h.db, timeZone);
    const engine = h.pglite;
    if (!engine) throw new Error('expected the embedded engine');
    const data = Buffer.from(await (await engine.dumpDataDir('gzip')).arrayBuffer());
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, data);
    renameSync(`${file}.tmp`, file);
    return file;
  } finally {
    await h.close();
  }
}

/** The template for this time zone if one matching the current code exists. */
export function loadDemoTemplate(timeZone: string): Blob | undefined {
  const file = demoTemplatePath(timeZone);
  return existsSync(file) ? new Blob([readFileSync(file)]) : undefined;
}
