import { sql } from 'kysely';
import type { Db } from '../db/index.js';

/** Pings worker processes listening on `channel` (PostgreSQL NOTIFY; PGlite accepts it too). */
export async function notifyChannel(db: Db, channel: string): Promise<void> {
  await sql`SELECT pg_notify(${channel}, '')`.execute(db);
}
