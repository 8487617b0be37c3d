import type { FastifyInstance, FastifyReply } from 'fastify';

const GONE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>410 Gone</title></head><body><h1>API v1 is gone</h1><p>API v1 was retired. Please use <a href="/api/v4/">API v4</a> (documentation: <a href="/api/docs/">/api/docs/</a>).</p></body></html>`;

/** /api/v1/* answers 410 Gone with a pointer to v4, as the original's core/apiv1.py. */
export function v1Routes(app: FastifyInstance): void {
  const handler = async (_req: unknown, reply: FastifyReply) =>
    reply.status(410).type('text/html; charset=utf-8').header('link', '</api/v4/>; rel="successor-version"').send(GONE);
  app.all('/api/v1', handler);
  app.all('/api/v1/*', handler);
}
