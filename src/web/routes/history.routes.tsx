import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../errors.js';
import { findGridPage } from '../../grids/grid-page.repository.js';
import { editHistory } from '../../history/history.service.js';
import { findPackagePage } from '../../packages/package-page.repository.js';
import { renderPage, sendHtml } from '../layout.js';
import { EditHistoryPage } from '../pages/history.page.js';

/** Registers the edit-history pages of packages and grids. */
export function registerHistoryRoutes(app: FastifyInstance): void {
  const { db, config } = app.ctx;
  const tz = config.timeZone;

  app.get<{ Params: { slug: string } }>('/packages/p/:slug/history/', async (req, reply) => {
    const p = await findPackagePage(db, req.params.slug);
    if (!p) throw new NotFoundError('No such package.');
    const entries = await editHistory(db, { packageId: p.id });
    const body = (
      <EditHistoryPage what="package" title={p.title} href={`/packages/p/${encodeURIComponent(p.slug)}/`} entries={entries} tz={tz} />
    );
    return sendHtml(req, reply, renderPage(req, { title: `${p.title}: edit history`, body }));
  });

  app.get<{ Params: { slug: string } }>('/grids/g/:slug/history/', async (req, reply) => {
    const g = await findGridPage(db, req.params.slug);
    if (!g) throw new NotFoundError('No such grid.');
    const entries = await editHistory(db, { gridId: g.id });
    const body = <EditHistoryPage what="grid" title={g.title} href={`/grids/g/${encodeURIComponent(g.slug)}/`} entries={entries} tz={tz} />;
    return sendHtml(req, reply, renderPage(req, { title: `${g.title}: edit history`, body }));
  });
}
