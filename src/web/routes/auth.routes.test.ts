import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeEachDb } from '../../../test/db.js';
import { createTestApp } from '../../../test/app.js';
import { startFakeOAuth, type FakeOAuth } from '../../../test/fake-oauth/server.js';
import { safeNext } from './auth.routes.js';

function setCookies(h: string | string[] | number | undefined): string[] {
  return Array.isArray(h) ? h : typeof h === 'string' ? [h] : [];
}

describeEachDb('GitHub OAuth sign-in', (get) => {
  let app: FastifyInstance;
  let fake: FakeOAuth;
  beforeAll(async () => {
    fake = await startFakeOAuth();
    ({ app } = await createTestApp(get(), fake.env));
  });
  afterAll(async () => {
    await app.close();
    await fake.close();
  });

  async function begin(next = '/grids/'): Promise<{ state: string; stateCookie: string; location: string }> {
    const r = await app.inject({
      method: 'POST',
      url: '/auth/login/github/',
      payload: `next=${encodeURIComponent(next)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(r.statusCode).toBe(302);
    const location = String(r.headers.location);
    const state = new URL(location).searchParams.get('state') ?? '';
    const stateCookie = (setCookies(r.headers['set-cookie'])[0] ?? '').split(';')[0] ?? '';
    return { state, stateCookie, location };
  }

  async function followAuthorize(location: string): Promise<URL> {
    const res = await fetch(location, { redirect: 'manual' });
    return new URL(res.headers.get('location') ?? '');
  }

  it('login page offers GitHub', async () => {
    const r = await app.inject({ url: '/login/?next=/grids/' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('action="/auth/login/github/"');
    expect(r.body).toContain('name="next" value="/grids/"');
  });

  it('signs in through the provider, creates the user and a session, redirects to next', async () => {
    fake.set({ user: { id: 777, login: 'octo-cat', name: 'Octo Cat', email: 'oc@example.org' } });
    const b = await begin('/grids/');
    expect(b.location).toContain('client_id=fake-client');
    expect(b.location).toContain(encodeURIComponent('http://localhost:8000/auth/complete/github/'));
    const back = await followAuthorize(b.location);
    const r = await app.inject({ url: back.pathname + back.search, headers: { cookie: b.stateCookie } });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/grids/');
    const session = setCookies(r.headers['set-cookie']).find((c) => c.startsWith('packgrid_session='));
    expect(session).toContain('HttpOnly');
    const user = await get().db.selectFrom('users').selectAll().where('github_id', '=', '777').executeTakeFirstOrThrow();
    expect(user.username).toBe('octo-cat');
    expect(user.github_account).toBe('octo-cat');
    expect(user.email).toBe('oc@example.org');
    const home = await app.inject({ url: '/', headers: { cookie: (session ?? '').split(';')[0] ?? '' } });
    expect(home.body).toContain('Log out');
    expect(home.body).toContain('href="/profiles/octo-cat/"');
  });

  it('a second sign-in updates the same user instead of creating one', async () => {
    fake.set({ user: { id: 777, login: 'octo-cat-renamed', email: 'new@example.org' } });
    const b = await begin();
    const back = await followAuthorize(b.location);
    const r = await app.inject({ url: back.pathname + back.search, headers: { cookie: b.stateCookie } });
    expect(r.statusCode).toBe(303);
    const rows = await get().db.selectFrom('users').select(['github_account', 'email']).where('github_id', '=', '777').execute();
    expect(rows).toEqual([{ github_account: 'octo-cat-renamed', email: 'new@example.org' }]);
  });

  it('a wrong or missing state is refused on the page, not a 500', async () => {
    const b = await begin();
    const back = await followAuthorize(b.location);
    back.searchParams.set('state', 'forged');
    const r = await app.inject({ url: back.pathname + back.search, headers: { cookie: b.stateCookie } });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('Sign-in did not work.');
    const none = await app.inject({ url: '/auth/complete/github/?code=x&state=y' });
    expect(none.statusCode).toBe(400);
  });

  it('a refused authorization and a bad code are explained on the page', async () => {
    fake.set({ deny: true });
    const b = await begin();
    const back = await followAuthorize(b.location);
    const r = await app.inject({ url: back.pathname + back.search, headers: { cookie: b.stateCookie } });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('You declined');
    fake.set({ badCode: true });
    const b2 = await begin();
    const back2 = await followAuthorize(b2.location);
    const r2 = await app.inject({ url: back2.pathname + back2.search, headers: { cookie: b2.stateCookie } });
    expect(r2.statusCode).toBe(400);
    expect(r2.body).toContain('GitHub refused the sign-in: The code passed is incorrect or expired.');
  });

  it('logout ends the session', async () => {
    fake.set({ user: { id: 778, login: 'leaver' } });
    const b = await begin();
    const back = await followAuthorize(b.location);
    const r = await app.inject({ url: back.pathname + back.search, headers: { cookie: b.stateCookie } });
    const cookie = (setCookies(r.headers['set-cookie']).find((c) => c.startsWith('packgrid_session=')) ?? '').split(';')[0] ?? '';
    const page = await app.inject({ url: '/', headers: { cookie } });
    const csrf = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const out = await app.inject({
      method: 'POST',
      url: '/logout/',
      payload: `csrfmiddlewaretoken=${encodeURIComponent(csrf)}`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(out.statusCode).toBe(303);
    const after = await app.inject({ url: '/', headers: { cookie } });
    expect(after.body).toContain('Sign in with GitHub');
  });
});

describeEachDb('GitHub OAuth not configured', (get) => {
  it('says so on the page', async () => {
    const { app } = await createTestApp(get());
    const r = await app.inject({ method: 'POST', url: '/auth/login/github/' });
    expect(r.statusCode).toBe(503);
    expect(r.body).toContain('not configured');
    await app.close();
  });
});

describe('safeNext', () => {
  it('keeps local paths and drops everything else', () => {
    expect(safeNext('/grids/')).toBe('/grids/');
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext('/\\evil')).toBe('/');
  });
});
