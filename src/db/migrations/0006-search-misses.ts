import { sql, type Kysely } from 'kysely';

/**
 * Searches that found nothing, for the staff: what people look for in the directory and do not find (a package to
 * add, a synonym to put in a description). The cleaned query only, counted; no address or user is kept.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE search_misses (
      query varchar(200) PRIMARY KEY,
      count integer NOT NULL DEFAULT 1,
      first_seen timestamptz NOT NULL DEFAULT now(),
      last_seen timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX search_misses_last_seen_idx ON search_misses (last_seen)`.execute(db);
}

/** Drops the table. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS search_misses`.execute(db);
}
