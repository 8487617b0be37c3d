import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

// Assets are read once at start-up and served from memory under a content hash, so they can be cached for a year.

interface Asset {
  readonly path: string;
  readonly body: Buffer;
  readonly type: string;
}

function fingerprint(name: string, ext: string, body: Buffer, type: string): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { path: `/static/${name}.${hash}.${ext}`, body, type };
}

const require = createRequire(import.meta.url);
const css = fingerprint('app', 'css', readFileSync(fileURLToPath(new URL('./assets/app.css', import.meta.url))), 'text/css; charset=utf-8');
const htmx = fingerprint('htmx', 'js', readFileSync(require.resolve('htmx.org/dist/htmx.min.js')), 'text/javascript; charset=utf-8');
const appJs = fingerprint(
  'app',
  'js',
  readFileSync(fileURLToPath(new URL('./assets/app.js', import.meta.url))),
  'text/javascript; charset=utf-8',
);

/** The fingerprinted URLs the layout links to. */
export const ASSET_URLS = { css: css.path, htmx: htmx.path, js: appJs.path } as const;

const FAVICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0b6e4f"/><path d="M4 4h3v3H4zM9 4h3v3H9zM4 9h3v3H4zM9 9h3v3H9z" fill="#fff"/></svg>';

/** Registers the static asset routes (long-lived immutable cache headers). */
export function registerStatic(app: FastifyInstance): void {
  for (const a of [css, htmx, appJs]) appRoute(app, a);
  app.get('/favicon.ico', async (_req, reply) =>
    reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(FAVICON),
  );
}

function appRoute(server: FastifyInstance, a: Asset): void {
  server.get(a.path, async (_req, reply) => reply.type(a.type).header('cache-control', 'public, max-age=31536000, immutable').send(a.body));
}
