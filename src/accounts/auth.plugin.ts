import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { AppError, PermissionDeniedError } from '../errors.js';
import { authenticateToken, csrfMatches, SESSION_COOKIE, sessionUser } from './account.service.js';
import './auth-user.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Reads one cookie from the Cookie header without a cookie plugin (so web/ may register @fastify/cookie freely). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return undefined;
}

function submittedCsrf(req: FastifyRequest): unknown {
  const header = req.headers['x-csrftoken'];
  if (typeof header === 'string') return header;
  const body = req.body;
  if (body !== null && typeof body === 'object' && 'csrfmiddlewaretoken' in body)
    return (body as Record<string, unknown>).csrfmiddlewaretoken;
  return undefined;
}

/** The CSRF token a form should carry for this request (null when not signed in with a session). */
export function csrfTokenFor(req: FastifyRequest): string | null {
  return req.csrfToken;
}

/**
 * Sets `req.user` from `Authorization: Token <key>` or the `packgrid_session` cookie, and refuses cookie-authenticated
 * unsafe methods without a matching CSRF token (header X-CSRFToken or form field csrfmiddlewaretoken), as Django does.
 * Anonymous requests cost no query.
 */
const authPluginImpl: FastifyPluginAsync = async (app: FastifyInstance) => {
  app.decorateRequest('user', null);
  app.decorateRequest('authMethod', null);
  app.decorateRequest('csrfToken', null);

  app.addHook('onRequest', async (req, reply) => {
    const authz = req.headers.authorization;
    if (authz !== undefined) {
      const m = /^Token\s+(\S+)\s*$/i.exec(authz);
      if (m?.[1] !== undefined) {
        const user = await authenticateToken(app.ctx.db, m[1]);
        if (!user) {
          reply.header('www-authenticate', 'Token');
          throw new InvalidTokenError();
        }
        req.user = user;
        req.authMethod = 'token';
        return;
      }
    }
    const cookie = req.headers.cookie;
    if (cookie === undefined || !cookie.includes(SESSION_COOKIE)) return;
    const value = readCookie(cookie, SESSION_COOKIE);
    if (value === undefined) return;
    const s = await sessionUser(app.ctx.db, value);
    if (!s) return;
    req.user = s.user;
    req.authMethod = 'session';
    req.csrfToken = s.csrfToken;
  });

  // preHandler: the body is parsed by now, so the form field can be read.
  app.addHook('preHandler', async (req) => {
    if (req.authMethod !== 'session' || !UNSAFE.has(req.method) || req.csrfToken === null) return;
    const given = submittedCsrf(req);
    if (given === undefined) throw new PermissionDeniedError('CSRF Failed: CSRF token missing.');
    if (!csrfMatches(req.csrfToken, given)) throw new PermissionDeniedError('CSRF Failed: CSRF token incorrect.');
  });
};

/** A bad or revoked token is DRF's 401 "Invalid token." */
class InvalidTokenError extends AppError {
  constructor() {
    super(401, 'invalid_token', 'Invalid token.');
  }
}

// Not encapsulated: the decorations and hooks must reach every route (api/ and web/).
Object.assign(authPluginImpl, { [Symbol.for('skip-override')]: true });

/** The auth plugin; register once on the root app. */
export const authPlugin = authPluginImpl;
