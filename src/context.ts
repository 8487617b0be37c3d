import type { Config } from './config.js';
import type { DatabaseHandle, Db } from './db/index.js';

/** Asks for packages to be fetched soon (the refresh worker owns how). */
export interface RefreshRequester {
  requestRefresh(packageIds: readonly number[], reason: string): Promise<void>;
}

/** What every part of the app is built from: settings, the database, and the job hooks. */
export interface AppContext {
  readonly config: Config;
  readonly db: Db;
  readonly handle: DatabaseHandle;
  readonly refresh: RefreshRequester;
}
