import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Db } from '../db/index.js';
import { importJsonlFile, type ImportResult } from './import.service.js';
import { importSnapshotDir } from './snapshot-import.js';
import { rebuildSearchIndex } from '../search/search.service.js';

/** Where the shipped demo data lives (inside the repository, never ../shared). */
export const DEMO_DATA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../demo-data');

const SEEDED_KEY = 'demo_seeded_at';

/** True once the demo data has been loaded into this database (or the operator imported data of their own). */
export async function isSeeded(db: Db): Promise<boolean> {
  const meta = await db.selectFrom('app_meta').select('value').where('key', '=', SEEDED_KEY).executeTakeFirst();
  if (meta) return true;
  const anyPackage = await db.selectFrom('packages').select('id').limit(1).executeTakeFirst();
  return anyPackage !== undefined;
}

/** Loads the 2011 snapshot (grids, features, cells) then the 2026 v4 records on top; idempotent. */
export async function seedDemoData(db: Db, naiveZone: string): Promise<{ snapshot: ImportResult; v4: ImportResult }> {
  // The 2011 dump has naive datetimes and no record of its zone; they are read in the configured TIME_ZONE.
  const snapshot = await importSnapshotDir(db, path.join(DEMO_DATA_DIR, 'snapshot-2011-03'), { naiveZone });
  const v4 = await importJsonlFile(db, path.join(DEMO_DATA_DIR, 'packages.jsonl'), { naiveZone });
  await rebuildSearchIndex(db);
  await db
    .insertInto('app_meta')
    .values({ key: SEEDED_KEY, value: new Date().toISOString() })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: new Date().toISOString() }))
    .execute();
  return { snapshot, v4 };
}
