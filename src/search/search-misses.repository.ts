import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../db/index.js';

type Q = Db | Transaction<Database>;

/** How long a query that found nothing is remembered after it was last searched. */
const KEEP_DAYS = 90;

/** A query that found nothing, as stored. */
export interface SearchMissRow {
  query: string;
  count: number;
  first_seen: string;
  last_seen: string;
}

/**
 * Counts one search for `query` that found nothing. Forgets queries not searched for KEEP_DAYS, and keeps at most
 * `keep` queries (the least searched, then the oldest, go first), so a flood of distinct queries cannot grow the
 * table without end.
 */
export async function recordMiss(db: Q, query: string, now: string, keep: number): Promise<void> {
  // The query being counted is never among the deleted: its row is the one the insert may update.
  await sql`
    WITH forgotten AS (
      DELETE FROM search_misses WHERE last_seen < ${now}::timestamptz - make_interval(days => ${KEEP_DAYS}) AND query <> ${query}
    ),
    overflow AS (
      DELETE FROM search_misses WHERE query <> ${query} AND query IN (
        SELECT query FROM search_misses WHERE query <> ${query} ORDER BY count DESC, last_seen DESC, query OFFSET ${Math.max(0, keep - 1)})
    )
    INSERT INTO search_misses AS m (query, first_seen, last_seen) VALUES (${query}, ${now}, ${now})
    ON CONFLICT (query) DO UPDATE SET count = m.count + 1, last_seen = excluded.last_seen`.execute(db);
}

/** The queries that found nothing most often since `since`, most searched first. */
export async function topMisses(db: Q, since: string, limit: number): Promise<SearchMissRow[]> {
  return db
    .selectFrom('search_misses')
    .select(['query', 'count', 'first_seen', 'last_seen'])
    .where('last_seen', '>=', since)
    .orderBy('count', 'desc')
    .orderBy('last_seen', 'desc')
    .orderBy('query')
    .limit(limit)
    .execute();
}
