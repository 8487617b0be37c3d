import type { FastifyInstance } from 'fastify';
import { registerBrowseRoutes } from './routes/browse.routes.js';
import { registerGridRoutes } from './routes/grid.routes.js';
import { registerPackageRoutes } from './routes/package.routes.js';
import { registerSiteRoutes } from './routes/site.routes.js';
import { renderErrorPage } from './pages/error.page.js';
import { registerSearchRoutes } from './search/search.routes.js';
import { registerStatic } from './static.js';
import { ensureAuth } from './viewer.js';

/** The website: every HTML page, form, feed and static asset. */
export async function webPlugin(app: FastifyInstance): Promise<void> {
  registerStatic(app);
  await ensureAuth(app);
  registerBrowseRoutes(app);
  registerPackageRoutes(app);
  registerGridRoutes(app);
  registerSiteRoutes(app);
  app.decorate('errorPageRenderer', renderErrorPage);
  registerSearchRoutes(app);
}

// Registered at the root (as fastify-plugin would) so the viewer hook and error page cover every HTML route,
// including the search engineer's pages rendered in this layout.
Object.assign(webPlugin, { [Symbol.for('skip-override')]: true });
