import type { FastifyRequest } from 'fastify';
import { NotAuthenticatedError } from '../errors.js';

/** The signed-in caller as every route sees it (`req.user`). */
export interface AuthUser {
  id: number;
  username: string;
  isStaff: boolean;
  isSuperuser: boolean;
}

/** How the caller proved who they are; CSRF applies only to the cookie. */
export type AuthMethod = 'token' | 'session' | null;

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, or null for anonymous callers (set by the auth plugin). */
    user: AuthUser | null;
    /** 'token' (Authorization header), 'session' (packgrid_session cookie) or null. */
    authMethod: AuthMethod;
    /** The session's CSRF token for forms (session callers only). */
    csrfToken: string | null;
  }
}

/** The signed-in user, or a 401 with DRF's "Authentication credentials were not provided." */
export function requireUser(req: FastifyRequest): AuthUser {
  if (!req.user) throw new NotAuthenticatedError();
  return req.user;
}

/** True for staff and superusers (who may delete and edit categories). */
export function isStaff(user: AuthUser | null): boolean {
  return user !== null && (user.isStaff || user.isSuperuser);
}
