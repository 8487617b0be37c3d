import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../db/index.js';

type Q = Db | Transaction<Database>;

/** The columns an authenticated caller is built from. */
export interface AuthRow {
  id: number;
  username: string;
  is_staff: boolean;
  is_superuser: boolean;
}

/** Inserts a user; returns its id. */
export async function insertUser(
  db: Q,
  values: { username: string; email: string; is_staff: boolean; is_superuser: boolean },
): Promise<number> {
  const r = await db.insertInto('users').values(values).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** A user by username (case-sensitive, as Django's). */
export async function findUserByUsername(db: Q, username: string): Promise<(AuthRow & { is_active: boolean }) | undefined> {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'is_staff', 'is_superuser', 'is_active'])
    .where('username', '=', username)
    .executeTakeFirst();
}

/** Inserts a token row (only the hash and a display prefix are kept). */
export async function insertToken(db: Q, values: { user_id: number; name: string; key_hash: string; key_prefix: string }): Promise<number> {
  const r = await db.insertInto('api_tokens').values(values).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** The active user behind a live token hash, if any. */
export async function findUserByTokenHash(
  db: Q,
  hash: string,
): Promise<(AuthRow & { token_id: number; last_used_at: string | null }) | undefined> {
  return db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['u.id', 'u.username', 'u.is_staff', 'u.is_superuser', 't.id as token_id', 't.last_used_at'])
    .where('t.key_hash', '=', hash)
    .where('t.revoked_at', 'is', null)
    .where('u.is_active', '=', true)
    .executeTakeFirst();
}

/** Records that a token was used (callers throttle how often). */
export async function touchToken(db: Q, tokenId: number): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: sql<string>`now()` })
    .where('id', '=', tokenId)
    .execute();
}

/** Revokes live tokens by id or key prefix; returns how many. */
export async function revokeTokens(db: Q, match: { id: number } | { prefix: string }): Promise<number> {
  let q = db
    .updateTable('api_tokens')
    .set({ revoked_at: sql<string>`now()` })
    .where('revoked_at', 'is', null);
  q = 'id' in match ? q.where('id', '=', match.id) : q.where('key_prefix', '=', match.prefix);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Live tokens matching a key prefix (to refuse ambiguous revokes). */
export async function countLiveTokensByPrefix(db: Q, prefix: string): Promise<number> {
  const r = await db
    .selectFrom('api_tokens')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('key_prefix', '=', prefix)
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
  return r.n;
}

/** A user's tokens, newest first (never the key: it is not stored). */
export async function listTokens(
  db: Q,
  userId: number,
): Promise<{ id: number; name: string; key_prefix: string; created: string; last_used_at: string | null; revoked_at: string | null }[]> {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'key_prefix', 'created', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .execute();
}

/** Stores a session (hash of the cookie value only). */
export async function insertSession(
  db: Q,
  values: { id_hash: string; user_id: number; csrf_token: string; expires_at: string },
): Promise<void> {
  await db.insertInto('sessions').values(values).execute();
}

/** The active user and CSRF token behind a live session hash. */
export async function findSession(db: Q, hash: string): Promise<(AuthRow & { csrf_token: string }) | undefined> {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['u.id', 'u.username', 'u.is_staff', 'u.is_superuser', 's.csrf_token'])
    .where('s.id_hash', '=', hash)
    .where('s.expires_at', '>', sql<string>`now()`)
    .where('u.is_active', '=', true)
    .executeTakeFirst();
}

/** Deletes a session by hash. */
export async function deleteSession(db: Q, hash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', hash).execute();
}

/** Sets last_login to now. */
export async function touchLogin(db: Q, userId: number): Promise<void> {
  await db
    .updateTable('users')
    .set({ last_login: sql<string>`now()` })
    .where('id', '=', userId)
    .execute();
}
