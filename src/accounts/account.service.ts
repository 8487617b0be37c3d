import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/index.js';
import { AppError, NotFoundError, ValidationError } from '../errors.js';
import {
  countLiveTokensByPrefix,
  deleteSession,
  findSession,
  findUserByTokenHash,
  findUserByUsername,
  insertSession,
  insertToken,
  insertUser,
  revokeTokens,
  touchLogin,
  touchToken,
  type AuthRow,
} from './account.repository.js';
import type { AuthUser } from './auth-user.js';

/** The name of the session cookie. */
export const SESSION_COOKIE = 'packgrid_session';
/** How long a session lives. */
export const SESSION_DAYS = 14;

const USERNAME = /^[\w.@+-]{1,150}$/;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function toAuthUser(r: AuthRow): AuthUser {
  return { id: r.id, username: r.username, isStaff: r.is_staff, isSuperuser: r.is_superuser };
}

/** Creates a user (`packgrid user create`); a taken or malformed username is a ValidationError. */
export async function createUser(db: Db, input: { username: string; email?: string; staff?: boolean }): Promise<AuthUser> {
  if (!USERNAME.test(input.username)) {
    throw new ValidationError({
      username: ['Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.'],
    });
  }
  if (await findUserByUsername(db, input.username)) throw new ValidationError({ username: ['A user with that username already exists.'] });
  const staff = input.staff ?? false;
  const id = await insertUser(db, { username: input.username, email: input.email ?? '', is_staff: staff, is_superuser: false });
  return { id, username: input.username, isStaff: staff, isSuperuser: false };
}

/** Creates an API token for a user and returns the key; only its sha256 is stored, so this is the one chance to see it. */
export async function createToken(db: Db, username: string, name = ''): Promise<{ id: number; key: string; prefix: string }> {
  const user = await findUserByUsername(db, username);
  if (!user) throw new NotFoundError(`No user named "${username}".`);
  if (!user.is_active) throw new AppError(400, 'inactive_user', `User "${username}" is not active.`);
  const key = `pg_${randomBytes(24).toString('base64url')}`;
  const prefix = key.slice(0, 10);
  const id = await insertToken(db, { user_id: user.id, name: name.slice(0, 100), key_hash: sha256(key), key_prefix: prefix });
  return { id, key, prefix };
}

/** Revokes a token by numeric id or by key prefix (or the full key); refuses an ambiguous prefix. */
export async function revokeToken(db: Db, ref: string): Promise<number> {
  const trimmed = ref.trim();
  if (/^\d+$/.test(trimmed)) return revokeTokens(db, { id: Number(trimmed) });
  const prefix = trimmed.slice(0, 10);
  if ((await countLiveTokensByPrefix(db, prefix)) > 1)
    throw new AppError(400, 'ambiguous_token', `More than one token starts with "${prefix}"; revoke by id.`);
  return revokeTokens(db, { prefix });
}

// last_used_at is advisory: write it at most once a minute per token so reads stay one query.
const lastTouched = new Map<number, number>();

/** The user behind an API key, or null. */
export async function authenticateToken(db: Db, key: string): Promise<AuthUser | null> {
  if (key === '' || key.length > 200) return null;
  const row = await findUserByTokenHash(db, sha256(key));
  if (!row) return null;
  const now = Date.now();
  if ((lastTouched.get(row.token_id) ?? 0) < now - 60_000) {
    lastTouched.set(row.token_id, now);
    if (lastTouched.size > 10_000) lastTouched.clear();
    await touchToken(db, row.token_id);
  }
  return toAuthUser(row);
}

/** Starts a session for a signed-in user; returns the cookie value (only its hash is stored) and the CSRF token. */
export async function createSession(db: Db, userId: number): Promise<{ cookieValue: string; csrfToken: string; maxAgeSeconds: number }> {
  const cookieValue = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expires = new Date(Date.now() + SESSION_DAYS * 86_400_000).toISOString();
  await insertSession(db, { id_hash: sha256(cookieValue), user_id: userId, csrf_token: csrfToken, expires_at: expires });
  await touchLogin(db, userId);
  return { cookieValue, csrfToken, maxAgeSeconds: SESSION_DAYS * 86_400 };
}

/** Ends a session (logout); unknown values are ignored. */
export async function destroySession(db: Db, cookieValue: string): Promise<void> {
  if (cookieValue === '') return;
  await deleteSession(db, sha256(cookieValue));
}

/** The user and CSRF token behind a session cookie value, or null. */
export async function sessionUser(db: Db, cookieValue: string): Promise<{ user: AuthUser; csrfToken: string } | null> {
  if (cookieValue === '' || cookieValue.length > 200) return null;
  const row = await findSession(db, sha256(cookieValue));
  return row ? { user: toAuthUser(row), csrfToken: row.csrf_token } : null;
}

/** Constant-time comparison of a submitted CSRF token with the session's. */
export function csrfMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
