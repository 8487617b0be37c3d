import { createSession, createUser, SESSION_COOKIE } from '../../src/accounts/account.service.js';
import type { Db } from '../../src/db/index.js';

/** A signed-in test user: the Cookie header to send and the CSRF token forms must carry. */
export interface TestSession {
  userId: number;
  cookie: string;
  csrf: string;
}

/** Creates a user (staff if asked) with a live session, bypassing OAuth. */
export async function signInAs(db: Db, username: string, opts: { staff?: boolean } = {}): Promise<TestSession> {
  const u = await createUser(db, { username, email: `${username}@example.org`, staff: opts.staff ?? false });
  const s = await createSession(db, u.id);
  return { userId: u.id, cookie: `${SESSION_COOKIE}=${s.cookieValue}`, csrf: s.csrfToken };
}

/** A urlencoded form body with the CSRF token added. */
export function form(session: TestSession | null, fields: Record<string, string>): { payload: string; headers: Record<string, string> } {
  const all = session ? { csrfmiddlewaretoken: session.csrf, ...fields } : fields;
  return {
    payload: new URLSearchParams(all).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...(session ? { cookie: session.cookie } : {}) },
  };
}
