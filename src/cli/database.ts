import { loadConfig, type Config } from '../config.js';
import { openDatabase, type DatabaseHandle } from '../db/index.js';
import { migrateToLatest } from '../db/migrate.js';

/** Opens the configured database for a CLI command and migrates it; the caller closes it. */
export async function openForCli(env: Record<string, string | undefined>): Promise<{ config: Config; handle: DatabaseHandle }> {
  const config = loadConfig(env);
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? undefined : config.dataDir });
  try {
    await migrateToLatest(handle.db);
  } catch (e) {
    await handle.close();
    throw e;
  }
  return { config, handle };
}
