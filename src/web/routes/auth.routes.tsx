import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createSession, destroySession, SESSION_COOKIE } from '../../accounts/account.service.js';
import { readCookie } from '../../accounts/auth.plugin.js';
import {
  authorizeUrl,
  completeGithubSignIn,
  newState,
  OAUTH_STATE_COOKIE,
  OAuthError,
  oauthConfigured,
  stateMatches,
} from '../../accounts/github-oauth.js';
import { renderPage, sendHtml } from '../layout.js';
import { formBody, qs } from '../params.js';

/** Only same-site paths may be a post-login destination (no open redirect). */
export function safeNext(next: string): string {
  return /^\/(?![/\\])[^\s]*$/.test(next) && !next.startsWith('/auth/') && !next.startsWith('/login/') ? next : '/';
}

function cookie(name: string, value: string, opts: { maxAge: number; path: string; secure: boolean }): string {
  return `${name}=${encodeURIComponent(value)}; Path=${opts.path}; Max-Age=${opts.maxAge}; HttpOnly; SameSite=Lax${opts.secure ? '; Secure' : ''}`;
}

/** Registers /login/, the GitHub OAuth begin/complete endpoints and /logout/. */
export function registerAuthRoutes(app: FastifyInstance): void {
  const { db, config } = app.ctx;
  const secure = config.siteUrl.startsWith('https://');

  function loginPage(req: FastifyRequest, reply: FastifyReply, opts: { error?: string; next: string; status?: number }) {
    const body = (
      <>
        <h1>Sign in</h1>
        {opts.error ? (
          <div class="warning" role="alert">
            <strong>Sign-in did not work.</strong> {opts.error}
          </div>
        ) : null}
        {oauthConfigured(config) ? (
          <form method="post" action="/auth/login/github/">
            <input type="hidden" name="next" value={opts.next} />
            <button type="submit">Sign in with GitHub</button>
          </form>
        ) : (
          <p>Sign-in with GitHub is not configured on this site (GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET).</p>
        )}
        <p class="muted">We only read your public GitHub profile and e-mail address.</p>
      </>
    );
    return sendHtml(req, reply, renderPage(req, { title: 'Sign in', body }), opts.status ?? 200);
  }

  app.get('/login/', async (req, reply) => loginPage(req, reply, { next: safeNext(qs(req, 'next', 500)) }));

  const begin = async (req: FastifyRequest, reply: FastifyReply) => {
    const next = safeNext(formBody(req).next ?? qs(req, 'next', 500));
    if (!oauthConfigured(config))
      return loginPage(req, reply, { next, error: 'Sign-in with GitHub is not configured on this site.', status: 503 });
    const state = newState();
    reply.header('set-cookie', cookie(OAUTH_STATE_COOKIE, `${state}|${next}`, { maxAge: 600, path: '/auth/', secure }));
    return reply.redirect(authorizeUrl(config, state), 302);
  };
  app.post('/auth/login/github/', begin);
  app.get('/auth/login/github/', begin);

  app.get('/auth/complete/github/', async (req, reply) => {
    const saved = readCookie(req.headers.cookie, OAUTH_STATE_COOKIE) ?? '';
    const bar = saved.indexOf('|');
    const expected = bar > 0 ? saved.slice(0, bar) : undefined;
    const next = safeNext(bar > 0 ? saved.slice(bar + 1) : '/');
    reply.header('set-cookie', cookie(OAUTH_STATE_COOKIE, '', { maxAge: 0, path: '/auth/', secure }));
    const error = qs(req, 'error', 100);
    if (error !== '') {
      const why =
        error === 'access_denied'
          ? `You declined to let ${req.server.ctx.config.siteTitle} read your GitHub profile.`
          : `GitHub said: ${qs(req, 'error_description', 300) || error}.`;
      return loginPage(req, reply, { next, error: why, status: 400 });
    }
    if (!stateMatches(expected, qs(req, 'state', 200))) {
      return loginPage(req, reply, {
        next,
        error: 'The sign-in link expired or did not come from this site. Please start again.',
        status: 400,
      });
    }
    try {
      const { userId } = await completeGithubSignIn(db, config, qs(req, 'code', 500));
      const s = await createSession(db, userId);
      reply.header('set-cookie', [
        cookie(OAUTH_STATE_COOKIE, '', { maxAge: 0, path: '/auth/', secure }),
        cookie(SESSION_COOKIE, s.cookieValue, { maxAge: s.maxAgeSeconds, path: '/', secure }),
      ]);
      return reply.redirect(next, 303);
    } catch (err) {
      if (err instanceof OAuthError) return loginPage(req, reply, { next, error: err.message, status: 400 });
      req.log.error({ err }, 'GitHub sign-in failed');
      return loginPage(req, reply, {
        next,
        error: 'Something went wrong on our side while signing you in. Please try again.',
        status: 502,
      });
    }
  });

  app.post('/logout/', async (req, reply) => {
    const value = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (value) await destroySession(db, value);
    reply.header('set-cookie', cookie(SESSION_COOKIE, '', { maxAge: 0, path: '/', secure }));
    return reply.redirect('/', 303);
  });
}
