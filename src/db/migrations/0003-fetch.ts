import { sql, type Kysely } from 'kysely';

/**
 * Refresh bookkeeping. `fetch_claimed_until` is a lease: a worker claims packages with FOR UPDATE SKIP LOCKED and
 * sets it, so two workers on one PostgreSQL never fetch the same package at once, and a crashed worker's claim
 * simply expires. `fetch_retry_at` holds a failed (or 202-pending, or rate-limited) package back until then.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE packages ADD COLUMN fetch_claimed_until timestamptz NULL`.execute(db);
  await sql`ALTER TABLE packages ADD COLUMN fetch_retry_at timestamptz NULL`.execute(db);
  // Requested refreshes are picked first; a small partial index keeps that lookup cheap on a big table.
  await sql`CREATE INDEX packages_fetch_requested_idx ON packages (fetch_requested_at, id) WHERE fetch_requested_at IS NOT NULL`.execute(
    db,
  );
}

/** Drops the refresh bookkeeping columns. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS packages_fetch_requested_idx`.execute(db);
  await sql`ALTER TABLE packages DROP COLUMN IF EXISTS fetch_retry_at`.execute(db);
  await sql`ALTER TABLE packages DROP COLUMN IF EXISTS fetch_claimed_until`.execute(db);
}
