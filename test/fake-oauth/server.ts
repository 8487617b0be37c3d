import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';

/** The GitHub user the fake provider signs in. */
export interface FakeGithubUser {
  id: number;
  login: string;
  name?: string;
  email?: string;
}

/** A running fake GitHub OAuth provider (authorize, access_token, /user). */
export interface FakeOAuth {
  url: string;
  /** Env vars pointing packgrid at this provider. */
  env: Record<string, string>;
  /** Who signs in next; `deny` makes authorize answer error=access_denied; `badCode` makes the token exchange fail. */
  set(opts: { user?: FakeGithubUser; deny?: boolean; badCode?: boolean }): void;
  close(): Promise<void>;
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    req.on('data', (c: Buffer) => (s += c.toString()));
    req.on('end', () => resolve(s));
  });
}

/** Starts the fake provider on a free port. The authorize step approves at once (no consent screen). */
export async function startFakeOAuth(): Promise<FakeOAuth> {
  let user: FakeGithubUser = { id: 4242, login: 'octo-tester', name: 'Octo Tester', email: 'octo@example.org' };
  let deny = false;
  let badCode = false;
  const codes = new Map<string, FakeGithubUser>();
  const tokens = new Map<string, FakeGithubUser>();
  const server = createServer((req, res) => {
    void (async () => {
      const u = new URL(req.url ?? '/', 'http://x');
      if (u.pathname === '/login/oauth/authorize') {
        const redirect = u.searchParams.get('redirect_uri') ?? '';
        const state = u.searchParams.get('state') ?? '';
        const back = new URL(redirect);
        if (deny) {
          back.searchParams.set('error', 'access_denied');
          back.searchParams.set('error_description', 'The user has denied your application access.');
        } else {
          const code = randomBytes(8).toString('hex');
          codes.set(code, user);
          back.searchParams.set('code', code);
        }
        back.searchParams.set('state', state);
        res.writeHead(302, { location: back.toString() }).end();
        return;
      }
      if (u.pathname === '/login/oauth/access_token' && req.method === 'POST') {
        const form = new URLSearchParams(await body(req));
        const who = codes.get(form.get('code') ?? '');
        res.setHeader('content-type', 'application/json');
        if (!who || badCode || form.get('client_secret') !== 'fake-secret') {
          res.end(JSON.stringify({ error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired' }));
          return;
        }
        codes.delete(form.get('code') ?? '');
        const token = `gho_${randomBytes(10).toString('hex')}`;
        tokens.set(token, who);
        res.end(JSON.stringify({ access_token: token, token_type: 'bearer', scope: 'user:email' }));
        return;
      }
      if (u.pathname === '/user') {
        const who = tokens.get((req.headers.authorization ?? '').replace(/^(Bearer|token)\s+/i, ''));
        if (!who) return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Bad credentials"}');
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            id: who.id,
            login: who.login,
            name: who.name ?? null,
            email: who.email ?? null,
            html_url: `https://github.com/${who.login}`,
          }),
        );
        return;
      }
      res.writeHead(404).end();
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    url,
    env: {
      GITHUB_CLIENT_ID: 'fake-client',
      GITHUB_CLIENT_SECRET: 'fake-secret',
      GITHUB_OAUTH_AUTHORIZE_URL: `${url}/login/oauth/authorize`,
      GITHUB_OAUTH_TOKEN_URL: `${url}/login/oauth/access_token`,
      GITHUB_API_URL: url,
    },
    set(o) {
      if (o.user) user = o.user;
      deny = o.deny ?? false;
      badCode = o.badCode ?? false;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
