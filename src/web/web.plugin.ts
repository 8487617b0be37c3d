import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import { registerAuthRoutes } from './routes/auth.routes.js';
import { registerBrowseRoutes } from './routes/browse.routes.js';
import { registerGridFormRoutes } from './routes/grid-forms.routes.js';
import { registerGridRoutes } from './routes/grid.routes.js';
import { registerHistoryRoutes } from './routes/history.routes.js';
import { registerPackageFormRoutes } from './routes/package-forms.routes.js';
import { registerPackageRoutes } from './routes/package.routes.js';
import { registerProfileFormRoutes } from './routes/profile-forms.routes.js';
import { registerSiteRoutes } from './routes/site.routes.js';
import { registerStaffRoutes } from './routes/staff.routes.js';
import { renderErrorPage } from './pages/error.page.js';
import { registerSearchRoutes } from './search/search.routes.js';
import { PageCache } from './page-cache.js';
import { registerStatic } from './static.js';
import { ensureAuth } from './viewer.js';

/** The website: every HTML page, form, feed and static asset. */
export async function webPlugin(app: FastifyInstance): Promise<void> {
  registerStatic(app);
  await ensureAuth(app);
  // The HTML forms post urlencoded bodies; the API may have registered the parser already.
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(formbody);
  const cache = new PageCache();
  // Any successful write in this process may change what anonymous pages show: start over.
  app.addHook('onResponse', async (req, reply) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && reply.statusCode < 400) cache.clear();
  });
  registerBrowseRoutes(app, cache);
  registerPackageRoutes(app, cache);
  registerGridRoutes(app, cache);
  registerHistoryRoutes(app);
  registerSiteRoutes(app);
  registerAuthRoutes(app);
  registerPackageFormRoutes(app);
  registerGridFormRoutes(app);
  registerStaffRoutes(app);
  registerProfileFormRoutes(app);
  app.decorate('errorPageRenderer', renderErrorPage);
  registerSearchRoutes(app);
}

// Registered at the root (as fastify-plugin would) so the viewer hook and error page cover every HTML route,
// including the search engineer's pages rendered in this layout.
Object.assign(webPlugin, { [Symbol.for('skip-override')]: true });
