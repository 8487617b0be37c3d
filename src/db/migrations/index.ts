import type { Migration } from 'kysely';
import * as initial from './0001-initial.js';
import * as search from './0002-search.js';
import * as fetch from './0003-fetch.js';
import * as searchSpeed from './0004-search-speed.js';
import * as searchTerms from './0005-search-terms.js';
import * as searchMisses from './0006-search-misses.js';

/** Every migration in order. Add new ones here; names sort, and are never renamed once released. */
export const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-search': search,
  '0003-fetch': fetch,
  '0004-search-speed': searchSpeed,
  '0005-search-terms': searchTerms,
  '0006-search-misses': searchMisses,
};
