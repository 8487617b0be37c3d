import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../errors.js';
import { Pager, PackageTable } from '../components.js';
import { renderPage, sendHtml } from '../layout.js';
import {
  countAll,
  countLiked,
  latestPackages,
  latestReleases,
  likedPackages,
  listCategories,
  listGrids,
  listPackages,
  PACKAGE_SORTS,
  type PackageSort,
} from '../listing.repository.js';
import { HomePage } from '../pages/home.page.js';
import type { PageCache } from '../page-cache.js';
import { pageParam, qs, toQuery } from '../params.js';
import { viewerOf } from '../viewer.js';

const PAGE_SIZE = 20;

function sortParam(req: FastifyRequest): { sort: PackageSort; descending: boolean; raw: string } {
  const raw = qs(req, 'sort', 40);
  const descending = raw.startsWith('-') || raw === '';
  const key = raw.replace(/^-/, '');
  if (key in PACKAGE_SORTS) return { sort: key as PackageSort, descending, raw };
  return { sort: 'stars', descending: true, raw: '-stars' };
}

/** Registers home, categories and the package list pages. */
export function registerBrowseRoutes(app: FastifyInstance, cache: PageCache): void {
  const { db, config } = app.ctx;
  const tz = config.timeZone;

  const home = async (req: FastifyRequest, reply: FastifyReply) => {
    const key = viewerOf(req) ? null : `home:${req.url}`;
    const hit = key ? cache.get(key) : undefined;
    if (hit !== undefined) return sendHtml(req, reply, hit);
    const [grids, categories, latestReleasesList, latestAdded, mostLiked, packageCount] = await Promise.all([
      listGrids(db, { q: '', sort: 'title', headerOnly: true, minPackages: 3, limit: 40, offset: 0 }),
      listCategories(db),
      latestReleases(db, 5),
      latestPackages(db, 5),
      likedPackages(db, 5),
      countAll(db),
    ]);
    const d = { headerGrids: grids.items, categories, latestReleases: latestReleasesList, latestAdded, mostLiked, packageCount };
    const html = renderPage(req, { title: 'Home', description: 'Find and compare reusable packages.', body: <HomePage d={d} tz={tz} /> });
    // The home lists change slowly (the original caches them 5 to 15 minutes); a few seconds is plenty here.
    if (key) cache.set(key, html, 5_000);
    return sendHtml(req, reply, html);
  };
  app.get('/', home);

  app.get('/categories/', async (req, reply) => {
    const cats = await listCategories(db);
    const body = (
      <>
        <h1>Categories</h1>
        <div class="grid2">
          {cats.map((c) => (
            <div class="card" key={c.id}>
              <h2>
                <a href={`/categories/${encodeURIComponent(c.slug)}/`}>{c.titlePlural || c.title}</a>
              </h2>
              <p class="muted">{c.description}</p>
              <p>{c.packageCount.toLocaleString('en-US')} packages</p>
            </div>
          ))}
        </div>
      </>
    );
    return sendHtml(req, reply, renderPage(req, { title: 'Categories', body }));
  });

  async function packageList(req: FastifyRequest, opts: { title: string; path: string; categorySlug: string; intro?: string }) {
    const page = pageParam(req);
    const q = qs(req, 'q');
    const s = sortParam(req);
    const category = opts.categorySlug || qs(req, 'category', 100);
    const [res, cats] = await Promise.all([
      listPackages(db, {
        q,
        categorySlug: category,
        sort: s.sort,
        descending: s.descending,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
        activeOnly: true,
      }),
      listCategories(db),
    ]);
    const link = (extra: Record<string, string | number>) =>
      opts.path + toQuery({ q, category: opts.categorySlug ? '' : category, sort: s.raw === '-stars' ? '' : s.raw, page, ...extra });
    const sortLink = (key: string, label: string) => {
      const current = s.sort === key;
      const next = current && s.descending ? key : `-${key}`;
      return (
        <a href={link({ sort: next, page: 1 })} aria-sort={current ? (s.descending ? 'descending' : 'ascending') : undefined}>
          {label}
          {current ? (s.descending ? ' ↓' : ' ↑') : ''}
        </a>
      );
    };
    const body = (
      <>
        <h1>{opts.title}</h1>
        {opts.intro ? <p class="muted">{opts.intro}</p> : null}
        <form method="get" action={opts.path} class="toolbar">
          <label>
            Filter
            <input type="search" name="q" value={q} />
          </label>
          {opts.categorySlug ? null : (
            <label>
              Category
              <select name="category">
                <option value="">All</option>
                {cats.map((c) => (
                  <option value={c.slug} selected={c.slug === category}>
                    {c.title}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label>
            Sort
            <select name="sort">
              {Object.keys(PACKAGE_SORTS).flatMap((k) => [
                <option value={`-${k}`} selected={s.raw === `-${k}`}>
                  {k.replace('_', ' ')} ↓
                </option>,
                <option value={k} selected={s.raw === k}>
                  {k.replace('_', ' ')} ↑
                </option>,
              ])}
            </select>
          </label>
          <button type="submit">Apply</button>
        </form>
        <p class="muted">{res.total.toLocaleString('en-US')} packages</p>
        <PackageTable items={res.items} tz={tz} sortLink={sortLink} />
        <Pager page={page} pageSize={PAGE_SIZE} total={res.total} href={(p) => link({ page: p })} />
      </>
    );
    return renderPage(req, { title: opts.title, body });
  }

  app.get('/packages/', async (req, reply) =>
    sendHtml(req, reply, await packageList(req, { title: 'Packages', path: '/packages/', categorySlug: '' })),
  );

  app.get<{ Params: { slug: string } }>('/categories/:slug/', async (req, reply) => {
    const cat = (await listCategories(db)).find((c) => c.slug === req.params.slug);
    if (!cat) throw new NotFoundError('No such category.');
    return sendHtml(
      req,
      reply,
      await packageList(req, {
        title: cat.titlePlural || cat.title,
        path: `/categories/${encodeURIComponent(cat.slug)}/`,
        categorySlug: cat.slug,
        intro: cat.description,
      }),
    );
  });

  const fifty = 50;
  app.get('/packages/latest/', async (req, reply) => {
    const page = pageParam(req);
    const [items, total] = await Promise.all([latestPackages(db, fifty, (page - 1) * fifty), countAll(db)]);
    const body = (
      <>
        <h1>Latest packages</h1>
        <PackageTable items={items} tz={tz} />
        <Pager page={page} pageSize={fifty} total={total} href={(p) => `/packages/latest/${toQuery({ page: p })}`} />
      </>
    );
    return sendHtml(req, reply, renderPage(req, { title: 'Latest packages', body }));
  });

  app.get('/packages/liked/', async (req, reply) => {
    const page = pageParam(req);
    const [items, total] = await Promise.all([likedPackages(db, fifty, (page - 1) * fifty), countLiked(db)]);
    const body = (
      <>
        <h1>Most liked packages</h1>
        {items.length === 0 ? <p class="muted">No package has been favourited yet.</p> : <PackageTable items={items} tz={tz} />}
        <Pager page={page} pageSize={fifty} total={total} href={(p) => `/packages/liked/${toQuery({ page: p })}`} />
      </>
    );
    return sendHtml(req, reply, renderPage(req, { title: 'Most liked packages', body }));
  });
}
