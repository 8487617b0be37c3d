import type { FastifyInstance } from 'fastify';
import { nowIso } from '../../lib/datetime.js';
import { NotFoundError } from '../../errors.js';
import {
  examplesOfPackage,
  findPackagePage,
  flagsOfPackage,
  gridsOfPackage,
  listReleases,
  viewerPackageState,
} from '../../packages/package-page.repository.js';
import { explainPackageRanking } from '../../search/search.service.js';
import { isHtmx, renderFragment, renderPage, sendHtml } from '../layout.js';
import { PackagePage, ReleasesTable } from '../pages/package.page.js';
import type { PageCache } from '../page-cache.js';
import { pageParam } from '../params.js';
import { isStaffViewer, viewerOf } from '../viewer.js';

/** Registers the package page, its rules (score breakdown) page and the releases fragment. */
export function registerPackageRoutes(app: FastifyInstance, cache: PageCache): void {
  const { db, config } = app.ctx;
  const tz = config.timeZone;

  app.get<{ Params: { slug: string } }>('/packages/p/:slug/', async (req, reply) => {
    const viewer = viewerOf(req);
    // Anonymous views are shared; a short life keeps fetched metrics fresh (writes here clear the cache).
    const key = viewer ? null : `package:${req.url}`;
    const hit = key ? cache.get(key) : undefined;
    if (hit !== undefined) return sendHtml(req, reply, hit);
    const p = await findPackagePage(db, req.params.slug);
    if (!p) throw new NotFoundError('No such package.');
    const [releases, grids, examples, state, flags] = await Promise.all([
      listReleases(db, p.id, 10, 0),
      gridsOfPackage(db, p.id),
      examplesOfPackage(db, p.id, viewer?.id ?? null),
      viewer ? viewerPackageState(db, p.id, viewer.id) : Promise.resolve(null),
      isStaffViewer(viewer) ? flagsOfPackage(db, p.id) : Promise.resolve([]),
    ]);
    const d = { p, releases, grids, examples, state, flags, siteUrl: config.siteUrl, siteTitle: config.siteTitle };
    const html = renderPage(req, { title: p.title, description: p.repo_description, body: <PackagePage d={d} viewer={viewer} tz={tz} /> });
    if (key) cache.set(key, html, 5_000);
    return sendHtml(req, reply, html);
  });

  app.get<{ Params: { slug: string } }>('/packages/:slug/versions/', async (req, reply) => {
    const p = await findPackagePage(db, req.params.slug);
    if (!p) throw new NotFoundError('No such package.');
    const page = pageParam(req);
    const releases = await listReleases(db, p.id, 10, (page - 1) * 10);
    const table = <ReleasesTable slug={p.slug} releases={releases} page={page} tz={tz} />;
    if (isHtmx(req)) return sendHtml(req, reply, renderFragment(table));
    return sendHtml(
      req,
      reply,
      renderPage(req, {
        title: `${p.title} releases`,
        body: (
          <>
            <h1>
              Releases of <a href={`/packages/p/${encodeURIComponent(p.slug)}/`}>{p.title}</a>
            </h1>
            {table}
          </>
        ),
      }),
    );
  });

  app.get<{ Params: { slug: string } }>('/packages/p/:slug/rules/', async (req, reply) => {
    const p = await findPackagePage(db, req.params.slug);
    if (!p) throw new NotFoundError('No such package.');
    const ranking = await explainPackageRanking(db, p.id, nowIso());
    if (!ranking) throw new NotFoundError('No such package.');
    const { score, weight } = ranking;
    const body = (
      <>
        <h1>
          Package score: <a href={`/packages/p/${encodeURIComponent(p.slug)}/`}>{p.title}</a>
        </h1>
        <p>
          Stored score: <strong>{ranking.storedScore}</strong> (recomputed now: {score.score}). The score starts from the stars and loses a
          tenth of them for every three months without a commit, and 30% (at most 1000) when the package does not declare Python 3 support.
          It is floored at −500 and has no upper bound.
        </p>
        <table class="list">
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col" class="num">
                Points
              </th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {score.breakdown.map((l) => (
              <tr key={l.rule}>
                <td>{l.rule.replace(/_/g, ' ')}</td>
                <td class="num">{l.points}</td>
                <td>{l.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>
          Search weight: {ranking.storedWeight} / 100{ranking.storedWeight !== weight.weight ? ` (recomputed now: ${weight.weight})` : ''}
        </h2>
        <p class="muted">
          Eight rules of up to 20 points each; the weight is the sum over {weight.max}, as a percentage ({weight.total} / {weight.max}).
        </p>
        <table class="list">
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col" class="num">
                Points
              </th>
              <th scope="col" class="num">
                Max
              </th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {weight.breakdown.map((l) => (
              <tr key={l.rule}>
                <td>{l.rule.replace(/_/g, ' ')}</td>
                <td class="num">{l.points}</td>
                <td class="num">{l.max}</td>
                <td>{l.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    );
    return sendHtml(req, reply, renderPage(req, { title: `${p.title} score`, body }));
  });
}
