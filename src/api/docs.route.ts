import type { FastifyInstance } from 'fastify';
import { renderToString } from 'preact-render-to-string';
import { h } from 'preact';
import { requestOrigin } from './links.js';
import { openApiDocument } from './openapi.js';

type Json = Record<string, unknown>;

function docsPage(doc: Json): string {
  const paths = Object.entries((doc.paths ?? {}) as Record<string, Record<string, Json>>);
  const info = doc.info as { title: string; description: string };
  const rows = paths.flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([m]) => m !== 'parameters')
      .map(([method, op]) =>
        h(
          'tr',
          { key: `${method} ${path}` },
          h('td', null, h('code', null, method.toUpperCase())),
          h('td', null, h('code', null, path)),
          h('td', null, String(op.summary ?? '')),
        ),
      ),
  );
  const page = h(
    'html',
    { lang: 'en' },
    h(
      'head',
      null,
      h('meta', { charset: 'utf-8' }),
      h('title', null, info.title),
      h(
        'style',
        null,
        'body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}td{padding:.25rem .75rem;border-bottom:1px solid #eee}code{font-size:.95em}',
      ),
    ),
    h(
      'body',
      null,
      h('h1', null, info.title),
      h('p', null, info.description),
      h(
        'p',
        null,
        h('a', { href: '/api/v4/openapi.json' }, 'OpenAPI 3.1 document'),
        ' · ',
        h('a', { href: '/api/v4/?format=api' }, 'Browsable API'),
      ),
      h(
        'table',
        null,
        h('thead', null, h('tr', null, h('th', null, 'Method'), h('th', null, 'Path'), h('th', null, 'What'))),
        h('tbody', null, rows),
      ),
    ),
  );
  return '<!DOCTYPE html>' + renderToString(page);
}

/** Mounts /api/v4/openapi.json and the human docs page /api/docs/. */
export function docsRoutes(app: FastifyInstance): void {
  app.get('/api/v4/openapi.json', async (req, reply) =>
    reply.header('content-type', 'application/json').send(Buffer.from(JSON.stringify(openApiDocument(requestOrigin(req))))),
  );
  app.get('/api/docs/', async (req, reply) => reply.type('text/html; charset=utf-8').send(docsPage(openApiDocument(requestOrigin(req)))));
  app.get('/api/docs', async (_req, reply) => reply.redirect('/api/docs/', 301));
}
