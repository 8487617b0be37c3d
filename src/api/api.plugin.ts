import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { docsRoutes } from './docs.route.js';
import { createLimiters } from './endpoint.js';
import { v1Routes } from './v1.route.js';
import { v3Routes } from './v3/v3.route.js';
import { v4Routes } from './v4/index.js';

/** The REST API: /api/v4/ (djangopackages.org-compatible, plus editing), /api/v3/ legacy, /api/v1/ 410, OpenAPI and docs. */
export const apiPlugin: FastifyPluginAsync = async (app: FastifyInstance) => {
  const { config } = app.ctx;
  const limiters = createLimiters(config.rateLimitReadsPerMinute, config.rateLimitWritesPerMinute);
  // The browsable form posts urlencoded; web/ may already have registered a parser at the root.
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8'))));
    });
  }
  for (const mount of v4Routes) mount(app, limiters);
  docsRoutes(app);
  v3Routes(app, limiters);
  v1Routes(app);
};
