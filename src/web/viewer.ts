import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authPlugin } from '../accounts/auth.plugin.js';
import '../accounts/auth-user.js';
import { NotAuthenticatedError, PermissionDeniedError } from '../errors.js';

/** The form field the accounts auth plugin checks against the session's CSRF token. */
export const CSRF_FIELD = 'csrfmiddlewaretoken';

/** A signed-in user as the pages see them. */
export interface Viewer {
  id: number;
  username: string;
  isStaff: boolean;
  isSuperuser: boolean;
  /** Present for cookie sessions; token-authenticated callers never see forms. */
  csrfToken: string;
}

/** The signed-in (cookie session) user of this request, or null. */
export function viewerOf(req: FastifyRequest): Viewer | null {
  const u = req.user;
  if (!u || req.authMethod !== 'session' || req.csrfToken === null) return null;
  return { id: u.id, username: u.username, isStaff: u.isStaff, isSuperuser: u.isSuperuser, csrfToken: req.csrfToken };
}

/** The signed-in user, or a 401 that the error page turns into a sign-in prompt. */
export function requireViewer(req: FastifyRequest): Viewer {
  const v = viewerOf(req);
  if (!v) throw new NotAuthenticatedError('Please sign in to do that.');
  return v;
}

/** True for staff and superusers. */
export function isStaffViewer(v: Viewer | null): boolean {
  return v !== null && (v.isStaff || v.isSuperuser);
}

/** A signed-in staff user, or 401/403. */
export function requireStaff(req: FastifyRequest): Viewer {
  const v = requireViewer(req);
  if (!isStaffViewer(v)) throw new PermissionDeniedError('Only staff can do that.');
  return v;
}

/** Makes sure the accounts auth plugin (req.user from the session cookie, CSRF check) is on; app.ts may register it first. */
export async function ensureAuth(app: FastifyInstance): Promise<void> {
  if (!app.hasRequestDecorator('user')) await app.register(authPlugin);
}
