import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config.js';
import type { Db } from '../db/index.js';
import { createHttpClient, type HttpClient } from '../fetchers/http.js';
import { upsertGithubUser, type GithubIdentity } from './github-oauth.repository.js';

// GitHub OAuth web flow: authorize redirect with a random state (kept in a short-lived cookie and compared on the
// callback), code-for-token exchange, then GET /user. Every failure becomes an OAuthError with a message for the page.

/** A sign-in that did not work; the message is safe to show. */
export class OAuthError extends Error {
  override readonly name = 'OAuthError';
}

/** The cookie that carries the state (and where to go afterwards) between the redirect and the callback. */
export const OAUTH_STATE_COOKIE = 'packgrid_oauth_state';

/** True when GitHub sign-in is configured. */
export function oauthConfigured(config: Config): boolean {
  return config.githubClientId !== undefined && config.githubClientSecret !== undefined;
}

/** The callback URL GitHub sends people back to. */
export function callbackUrl(config: Config): string {
  return `${config.siteUrl}/auth/complete/github/`;
}

/** A fresh random state value. */
export function newState(): string {
  return randomBytes(24).toString('base64url');
}

/** The authorize URL to redirect to. */
export function authorizeUrl(config: Config, state: string): string {
  const u = new URL(config.githubOauthAuthorizeUrl);
  u.searchParams.set('client_id', config.githubClientId ?? '');
  u.searchParams.set('redirect_uri', callbackUrl(config));
  u.searchParams.set('scope', 'user:email');
  u.searchParams.set('state', state);
  u.searchParams.set('allow_signup', 'true');
  return u.toString();
}

/** Constant-time state comparison. */
export function stateMatches(expected: string | undefined, given: string): boolean {
  if (!expected || expected.length !== given.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(given));
}

function client(config: Config): HttpClient {
  return createHttpClient({
    siteUrl: config.siteUrl,
    baseUrls: [config.githubOauthTokenUrl, config.githubApiUrl],
    retries: 1,
    timeoutMs: 10_000,
  });
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

async function exchangeCode(http: HttpClient, config: Config, code: string): Promise<string> {
  let res;
  try {
    res = await http.request(config.githubOauthTokenUrl, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: config.githubClientId ?? '',
        client_secret: config.githubClientSecret ?? '',
        code,
        redirect_uri: callbackUrl(config),
      }).toString(),
      key: 'github-oauth',
    });
  } catch {
    throw new OAuthError('GitHub could not be reached to finish signing in. Please try again.');
  }
  let body: unknown;
  try {
    body = res.json();
  } catch {
    throw new OAuthError('GitHub sent an answer we could not read. Please try again.');
  }
  const b = (body ?? {}) as Record<string, unknown>;
  const token = str(b.access_token);
  if (res.status >= 400 || token === '') {
    const why = str(b.error_description) || str(b.error) || `status ${res.status}`;
    throw new OAuthError(`GitHub refused the sign-in: ${why}.`);
  }
  return token;
}

async function fetchUser(http: HttpClient, config: Config, token: string): Promise<GithubIdentity> {
  let res;
  try {
    res = await http.request(`${config.githubApiUrl}/user`, {
      headers: { accept: 'application/vnd.github+json', authorization: `Bearer ${token}` },
      key: 'github-oauth',
    });
  } catch {
    throw new OAuthError('GitHub could not be reached to read your profile. Please try again.');
  }
  if (res.status !== 200) throw new OAuthError(`GitHub did not return your profile (status ${res.status}).`);
  let u: Record<string, unknown>;
  try {
    u = (res.json() ?? {}) as Record<string, unknown>;
  } catch {
    throw new OAuthError('GitHub sent a profile we could not read.');
  }
  const githubId = str(u.id);
  const login = str(u.login);
  if (!/^\d+$/.test(githubId) || !/^[A-Za-z0-9-]{1,39}$/.test(login))
    throw new OAuthError('GitHub sent a profile without a valid id or login.');
  return {
    githubId,
    login,
    email: str(u.email).slice(0, 254),
    name: str(u.name).slice(0, 300),
    htmlUrl: str(u.html_url).slice(0, 200) || `https://github.com/${login}`,
  };
}

/** Finishes the callback: code → token → GitHub user → packgrid user (created or updated); returns the user id. */
export async function completeGithubSignIn(db: Db, config: Config, code: string): Promise<{ userId: number; login: string }> {
  if (!oauthConfigured(config)) throw new OAuthError('Sign-in with GitHub is not configured on this site.');
  if (code === '' || code.length > 500) throw new OAuthError('GitHub did not send a sign-in code.');
  const http = client(config);
  const token = await exchangeCode(http, config, code);
  const who = await fetchUser(http, config, token);
  const user = await upsertGithubUser(db, who);
  if (!user.isActive) throw new OAuthError('This account is disabled.');
  return { userId: user.id, login: who.login };
}
