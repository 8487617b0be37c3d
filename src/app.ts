import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { AppError } from './errors.js';
import { ThrottledError } from './rate-limit.js';
import type { AppContext } from './context.js';

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
}

function wantsHtml(req: FastifyRequest): boolean {
  const accept = req.headers.accept ?? '';
  return accept.includes('text/html') && !req.url.startsWith('/api/');
}

function sendError(
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  fields?: Record<string, string[]>,
): FastifyReply {
  if (req.url.startsWith('/api/')) {
    // Django REST framework's shapes: field errors as {"field": ["msg"]}, anything else as {"detail": "..."}.
    // A Buffer keeps the content type exactly "application/json", as Django REST framework sends it.
    return reply
      .status(status)
      .header('content-type', 'application/json')
      .send(Buffer.from(JSON.stringify(fields ?? { detail: message })));
  }
  if (wantsHtml(req)) {
    const custom = (req.server as FastifyInstance & { errorPageRenderer?: ErrorPageRenderer }).errorPageRenderer;
    return reply
      .status(status)
      .type('text/html; charset=utf-8')
      .send(custom ? custom(status, message, req) : errorPage(status, message));
  }
  return reply
    .status(status)
    .type('application/json')
    .send(JSON.stringify({ error: { code, message, ...(fields ? { fields } : {}) } }));
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function errorPage(status: number, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${status}</title></head><body><h1>${status}</h1><p>${escapeHtml(message)}</p><p><a href="/">Home</a></p></body></html>`;
}

/** Hook for the web layer to replace the plain error page with the site's own. */
export type ErrorPageRenderer = (status: number, message: string, req: FastifyRequest) => string;

/** Builds the Fastify app from a context: registers api/ and web/ and the one error handler. Never listens. */
export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    logger: ctx.config.logLevel === 'silent' ? false : { level: ctx.config.logLevel },
    trustProxy: ctx.config.trustProxy,
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 500, ignoreTrailingSlash: false },
  });
  app.decorate('ctx', ctx);

  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof ThrottledError) reply.header('retry-after', String(err.retryAfter));
    if (err instanceof AppError) return sendError(req, reply, err.status, err.code, err.message, err.fields);
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error({ err }, 'unhandled error');
    const message = status === 500 ? 'Internal server error.' : err.message;
    return sendError(req, reply, status, status === 500 ? 'internal_error' : (err.code ?? 'bad_request').toLowerCase(), message);
  });
  app.setNotFoundHandler((req, reply) => sendError(req, reply, 404, 'not_found', 'Not found.'));

  app.get('/health/', async (_req, reply) => {
    const started = performance.now();
    await ctx.handle.db.selectFrom('categories').select('id').limit(1).execute();
    return reply
      .header('cache-control', 'no-store')
      .send({ status: 'ok', database: ctx.handle.kind, db_ms: Math.round((performance.now() - started) * 100) / 100 });
  });

  await app.register((await import('./accounts/auth.plugin.js')).authPlugin);
  await app.register((await import('./api/api.plugin.js')).apiPlugin);
  await app.register((await import('./web/web.plugin.js')).webPlugin);
  await app.register((await import('./api/webhooks/github-webhook.plugin.js')).githubWebhookPlugin);
  return app;
}
