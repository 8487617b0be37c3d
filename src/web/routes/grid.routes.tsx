import type { FastifyInstance } from 'fastify';
import { NotFoundError, ValidationError } from '../../errors.js';
import { findGridPage, findGridPageVersion, gridElements, gridFeatures, gridPackageColumns } from '../../grids/grid-page.repository.js';
import type { PageCache } from '../page-cache.js';
import { Csrf, Pager, PackageLink } from '../components.js';
import { formatCount, formatDay, truncate } from '../format.js';
import { isHtmx, renderFragment, renderPage, renderPageAround, sendHtml } from '../layout.js';
import { listGrids } from '../listing.repository.js';
import { GridPage, GridTable, type GridPageData } from '../pages/grid.page.js';
import { cellEditBase } from '../pages/grid-table-html.js';
import { applyGridView, parseGridView } from '../pages/grid-view.js';
import { pageParam, qs, toQuery } from '../params.js';
import { isStaffViewer, viewerOf } from '../viewer.js';

const GRID_LIST_SORTS = ['title', 'modified', 'packages'] as const;

/** Registers the grid list, grid comparison page, all-packages page and timesheet. */
export function registerGridRoutes(app: FastifyInstance, cache: PageCache): void {
  const { db, config } = app.ctx;
  const tz = config.timeZone;

  app.get('/grids/', async (req, reply) => {
    const page = pageParam(req);
    const q = qs(req, 'q');
    const rawSort = qs(req, 'sort', 20);
    const sort = (GRID_LIST_SORTS as readonly string[]).includes(rawSort) ? (rawSort as (typeof GRID_LIST_SORTS)[number]) : 'title';
    const res = await listGrids(db, { q, sort, headerOnly: false, minPackages: 1, limit: 20, offset: (page - 1) * 20 });
    const viewer = viewerOf(req);
    const body = (
      <>
        <h1>Grids</h1>
        {viewer ? (
          <p>
            <a class="btn" href="/grids/add/">
              Add a grid
            </a>
          </p>
        ) : null}
        <form method="get" action="/grids/" class="toolbar">
          <label>
            Filter
            <input type="search" name="q" value={q} />
          </label>
          <label>
            Sort
            <select name="sort">
              <option value="title" selected={sort === 'title'}>
                Title
              </option>
              <option value="modified" selected={sort === 'modified'}>
                Recently changed
              </option>
              <option value="packages" selected={sort === 'packages'}>
                Most packages
              </option>
            </select>
          </label>
          <button type="submit">Apply</button>
        </form>
        <p class="muted">{res.total} grids</p>
        <table class="list">
          <thead>
            <tr>
              <th scope="col">Grid</th>
              <th scope="col" class="num">
                Packages
              </th>
              <th scope="col">Changed</th>
            </tr>
          </thead>
          <tbody>
            {res.items.map((g) => (
              <tr key={g.id}>
                <td>
                  <a href={`/grids/g/${encodeURIComponent(g.slug)}/`}>{g.title}</a>
                  <div class="muted">{truncate(g.description, 160)}</div>
                </td>
                <td class="num">{g.packageCount}</td>
                <td>{formatDay(g.modified, tz)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <Pager
          page={page}
          pageSize={20}
          total={res.total}
          href={(p) => `/grids/${toQuery({ q, sort: sort === 'title' ? '' : sort, page: p })}`}
        />
      </>
    );
    return sendHtml(req, reply, renderPage(req, { title: 'Grids', body }));
  });

  app.get<{ Params: { slug: string } }>('/grids/g/:slug/', async (req, reply) => {
    const viewer = viewerOf(req);
    // A cell's edit link is `?edit=P-F` (short: the page has thousands); without JavaScript it lands here.
    const edit = qs(req, 'edit', 30);
    if (edit !== '') {
      const m = /^(\d{1,9})-(\d{1,9})$/.exec(edit);
      if (!m)
        throw new ValidationError(
          { edit: ['Expected a package id and a feature id, as in ?edit=12-34.'] },
          'edit must be a package id and a feature id.',
        );
      return reply.redirect(`${cellEditBase(req.params.slug)}${m[1] ?? ''}/${m[2] ?? ''}/`, 303);
    }
    // The version check itself is remembered for a second (writes in this process clear it at once).
    const verKey = `gridver:${req.params.slug}`;
    const memo = cache.get(verKey);
    const found =
      memo !== undefined
        ? (JSON.parse(memo.toString()) as Awaited<ReturnType<typeof findGridPageVersion>>)
        : await findGridPageVersion(db, req.params.slug);
    if (!found) throw new NotFoundError('No such grid.');
    if (memo === undefined) cache.set(verKey, JSON.stringify(found), 1_000);
    const { grid, version } = found;
    const view = parseGridView({ q: qs(req, 'q'), stable: qs(req, 'stable', 5), sort: qs(req, 'sort', 20) });
    // The grid body is the same for every anonymous visitor, and the same for every signed-in one (edit links carry
    // no per-user token; the CSRF token lives in the layout): render it once per data version, view and audience.
    const audience = viewer ? 'editor' : 'anon';
    const viewKey = `${grid.id}:${version}:${audience}:${view.sort}:${view.stable ? 1 : 0}:${view.q}`;
    const htmx = isHtmx(req);
    const pageKey = viewer ? null : `gridpage:${viewKey}`;
    if (!htmx && pageKey) {
      const hit = cache.get(pageKey);
      if (hit !== undefined) return sendHtml(req, reply, hit);
    }
    const bodyKey = `grid${htmx ? 'frag' : 'body'}:${viewKey}`;
    let bodyHtml = cache.get(bodyKey);
    if (bodyHtml === undefined) {
      const [packages, features, elements] = await Promise.all([
        gridPackageColumns(db, grid.id),
        gridFeatures(db, grid.id),
        gridElements(db, grid.id),
      ]);
      const cells = new Map<string, string>();
      for (const [gridPackageId, featureId, text] of elements) cells.set(`${gridPackageId}:${featureId}`, text);
      const d: GridPageData = { grid, packages: applyGridView(packages, view), totalPackages: packages.length, features, cells, view };
      // Encoded once: the cache keeps the bytes and the page is spliced from them.
      bodyHtml = Buffer.from(
        renderFragment(htmx ? <GridTable d={d} viewer={viewer} tz={tz} /> : <GridPage d={d} viewer={viewer} tz={tz} />),
      );
      cache.set(bodyKey, bodyHtml, 10 * 60_000);
    }
    if (htmx) return sendHtml(req, reply, bodyHtml);
    const page = renderPageAround(req, { title: grid.title, description: grid.description, wide: true }, bodyHtml);
    if (pageKey) cache.set(pageKey, page, 10 * 60_000);
    return sendHtml(req, reply, page);
  });

  app.get<{ Params: { slug: string } }>('/grids/g/:slug/packages/', async (req, reply) => {
    const grid = await findGridPage(db, req.params.slug);
    if (!grid) throw new NotFoundError('No such grid.');
    const view = parseGridView({ q: qs(req, 'q'), stable: qs(req, 'stable', 5), sort: qs(req, 'sort', 20) });
    const all = applyGridView(await gridPackageColumns(db, grid.id), view);
    const page = pageParam(req);
    const items = all.slice((page - 1) * 50, page * 50);
    const base = `/grids/g/${encodeURIComponent(grid.slug)}/packages/`;
    const viewer = viewerOf(req);
    const staff = isStaffViewer(viewer);
    const body = (
      <>
        <h1>
          All packages in <a href={`/grids/g/${encodeURIComponent(grid.slug)}/`}>{grid.title}</a>
        </h1>
        <p class="muted">
          Sort:{' '}
          {(['score', 'title', 'watchers', 'forks', 'downloads', 'commit_date'] as const).map((s) => (
            <> {s === view.sort ? <strong>{s}</strong> : <a href={base + toQuery({ q: view.q, sort: s })}>{s}</a>}</>
          ))}
        </p>
        <table class="list">
          <thead>
            <tr>
              <th scope="col">Package</th>
              <th scope="col" class="num">
                Stars
              </th>
              <th scope="col" class="num">
                Forks
              </th>
              <th scope="col" class="num">
                Score
              </th>
              <th scope="col">Last commit</th>
              {staff ? <th scope="col">Staff</th> : null}
            </tr>
          </thead>
          <tbody>
            {items.map((p) => (
              <tr key={p.id}>
                <td>
                  <PackageLink p={p} />
                  <div class="muted">{truncate(p.repo_description, 120)}</div>
                </td>
                <td class="num">{formatCount(p.repo_watchers)}</td>
                <td class="num">{formatCount(p.repo_forks)}</td>
                <td class="num">{formatCount(p.score)}</td>
                <td>{formatDay(p.last_commit_date, tz)}</td>
                {staff && viewer ? (
                  <td>
                    <form method="post" action={`/grids/package/${encodeURIComponent(grid.slug)}/${p.id}/delete/`} class="inline">
                      <Csrf token={viewer.csrfToken} />
                      <button type="submit" class="danger" aria-label={`Remove ${p.title} from this grid`}>
                        Remove
                      </button>
                    </form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
        <Pager
          page={page}
          pageSize={50}
          total={all.length}
          href={(p) => base + toQuery({ q: view.q, sort: view.sort === 'score' ? '' : view.sort, page: p })}
        />
      </>
    );
    return sendHtml(req, reply, renderPage(req, { title: `${grid.title}: all packages`, body }));
  });

  app.get<{ Params: { slug: string } }>('/grids/g/:slug/timesheet/', async (req, reply) => {
    const grid = await findGridPage(db, req.params.slug);
    if (!grid) throw new NotFoundError('No such grid.');
    const items = (await gridPackageColumns(db, grid.id)).sort((a, b) => (a.modified < b.modified ? 1 : a.modified > b.modified ? -1 : 0));
    const body = (
      <>
        <h1>
          Timesheet of <a href={`/grids/g/${encodeURIComponent(grid.slug)}/`}>{grid.title}</a>
        </h1>
        <table class="list">
          <thead>
            <tr>
              <th scope="col">Package</th>
              <th scope="col">Last changed</th>
              <th scope="col">Last commit</th>
            </tr>
          </thead>
          <tbody>
            {items.map((p) => (
              <tr key={p.id}>
                <td>
                  <PackageLink p={p} />
                </td>
                <td>{formatDay(p.modified, tz)}</td>
                <td>{formatDay(p.last_commit_date, tz)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    );
    return sendHtml(req, reply, renderPage(req, { title: `${grid.title} timesheet`, body }));
  });
}
