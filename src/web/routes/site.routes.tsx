import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../errors.js';
import { timestampToMillis } from '../../lib/datetime.js';
import { PackageTable } from '../components.js';
import { escapeHtml, safeHref } from '../html.js';
import { renderPage, sendHtml } from '../layout.js';
import { favouritePackages, packagesByParticipant } from '../listing.repository.js';
import { READINESS_PRODUCTS, readinessOf } from '../readiness.js';
import { feedPackages, findProfile, openStats, profileLinks, readinessCandidates, sitemapEntries } from '../site.repository.js';
import { viewerOf } from '../viewer.js';
import { STATIC_PAGES } from '../pages/static-pages.js';

const OPEN_CLASSIFIERS = [
  ...['2.2', '3.2', '4.0', '4.1', '4.2', '5.0', '5.1', '5.2', '6.0'].map((v) => `Framework :: Django :: ${v}`),
  'Programming Language :: Python :: 2.7',
  'Programming Language :: Python :: 3',
  ...['3.6', '3.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13', '3.14', '3.15'].map((v) => `Programming Language :: Python :: ${v}`),
];

function rfc822(ts: string): string {
  return new Date(timestampToMillis(ts)).toUTCString();
}

function iso(ts: string): string {
  return new Date(timestampToMillis(ts)).toISOString();
}

/** Registers feeds, sitemap, robots, OpenSearch description, readiness, /open/, static pages and profiles. */
export function registerSiteRoutes(app: FastifyInstance): void {
  const { db, config } = app.ctx;
  const site = config.siteUrl;
  const tz = config.timeZone;
  const feedTitle = `Latest ${config.siteTitle} packages added`;

  app.get('/feeds/packages/latest/rss/', async (_req, reply) => {
    const items = await feedPackages(db, 15);
    const xml =
      `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>` +
      `<title>${escapeHtml(feedTitle)}</title><link>${site}/packages/latest/</link><description>The last 15 packages added</description>` +
      `<atom:link href="${site}/feeds/packages/latest/rss/" rel="self"/>` +
      items
        .map(
          (p) =>
            `<item><title>${escapeHtml(p.title)}</title><link>${site}/packages/p/${encodeURIComponent(p.slug)}/</link><description>${escapeHtml(p.repo_description)}</description>` +
            `<pubDate>${rfc822(p.created)}</pubDate><guid>${site}/packages/p/${encodeURIComponent(p.slug)}/</guid></item>`,
        )
        .join('') +
      `</channel></rss>`;
    return reply.type('application/rss+xml; charset=utf-8').header('cache-control', 'public, max-age=900').send(xml);
  });

  app.get('/feeds/packages/latest/atom/', async (_req, reply) => {
    const items = await feedPackages(db, 15);
    const updated = items[0] ? iso(items[0].created) : new Date(0).toISOString();
    const xml =
      `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">` +
      `<title>${escapeHtml(feedTitle)}</title><link href="${site}/packages/latest/" rel="alternate"/><link href="${site}/feeds/packages/latest/atom/" rel="self"/>` +
      `<id>${site}/packages/latest/</id><updated>${updated}</updated><subtitle>The last 15 packages added</subtitle>` +
      items
        .map(
          (p) =>
            `<entry><title>${escapeHtml(p.title)}</title><link href="${site}/packages/p/${encodeURIComponent(p.slug)}/" rel="alternate"/>` +
            `<published>${iso(p.created)}</published><updated>${iso(p.created)}</updated><id>${site}/packages/p/${encodeURIComponent(p.slug)}/</id>` +
            `<summary type="html">${escapeHtml(p.repo_description)}</summary></entry>`,
        )
        .join('') +
      `</feed>`;
    return reply.type('application/atom+xml; charset=utf-8').header('cache-control', 'public, max-age=900').send(xml);
  });

  app.get('/sitemap.xml', async (_req, reply) => {
    const { packages, grids } = await sitemapEntries(db);
    const url = (loc: string, mod?: string) =>
      `<url><loc>${escapeHtml(loc)}</loc>${mod ? `<lastmod>${iso(mod).slice(0, 10)}</lastmod>` : ''}</url>`;
    const statics = ['/', '/packages/', '/grids/', '/categories/', '/about/', '/faq/', '/terms/', '/open/', '/readiness/'];
    const xml =
      `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` +
      statics.map((s) => url(site + s)).join('') +
      packages.map((p) => url(`${site}/packages/p/${encodeURIComponent(p.slug)}/`, p.modified)).join('') +
      grids.map((g) => url(`${site}/grids/g/${encodeURIComponent(g.slug)}/`, g.modified)).join('') +
      `</urlset>`;
    return reply.type('application/xml; charset=utf-8').header('cache-control', 'public, max-age=43200').send(xml);
  });

  app.get('/robots.txt', async (_req, reply) => {
    // As the original: AI crawlers are asked to stay away; everyone else may index, but not the forms.
    const ai = [
      'GPTBot',
      'ChatGPT-User',
      'CCBot',
      'anthropic-ai',
      'ClaudeBot',
      'Google-Extended',
      'PerplexityBot',
      'Bytespider',
      'Amazonbot',
    ];
    const body = [
      ...ai.flatMap((a) => [`User-agent: ${a}`, 'Disallow: /', '']),
      'User-agent: *',
      'Disallow: /packages/add/',
      'Disallow: /login/',
      'Disallow: /auth/',
      '',
      `Sitemap: ${site}/sitemap.xml`,
      '',
    ].join('\n');
    return reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=86400').send(body);
  });

  app.get('/search/opensearch/description/', async (_req, reply) => {
    const xml =
      `<?xml version="1.0" encoding="UTF-8"?>\n<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/" xmlns:moz="http://www.mozilla.org/2006/browser/search/">` +
      `<ShortName>${escapeHtml(config.siteTitle)}</ShortName><Description>Search ${escapeHtml(config.siteTitle)} packages and grids</Description><InputEncoding>UTF-8</InputEncoding>` +
      `<Image width="16" height="16" type="image/svg+xml">${site}/favicon.ico</Image>` +
      `<Url type="text/html" method="get" template="${site}/search/?q={searchTerms}"/>` +
      `<Url type="application/x-suggestions+json" template="${site}/search/opensearch/suggestions/?q={searchTerms}"/>` +
      `<moz:SearchForm>${site}/search/</moz:SearchForm></OpenSearchDescription>`;
    return reply.type('application/opensearchdescription+xml; charset=utf-8').header('cache-control', 'public, max-age=86400').send(xml);
  });

  app.get('/readiness/', async (req, reply) => {
    const body = (
      <>
        <h1>Readiness</h1>
        <p>Which of the most popular packages declare support for each Django and Python release, from their PyPI trove classifiers.</p>
        {READINESS_PRODUCTS.map((p) => (
          <section key={p.slug}>
            <h2>{p.name}</h2>
            <ul>
              {p.cycles.map((c) => (
                <li key={c}>
                  <a href={`/readiness/${p.slug}/${c}/`}>
                    {p.name} {c}
                  </a>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </>
    );
    return sendHtml(req, reply, renderPage(req, { title: 'Readiness', body }));
  });

  app.get<{ Params: { product: string; cycle: string } }>('/readiness/:product/:cycle/', async (req, reply) => {
    const product = READINESS_PRODUCTS.find((p) => p.slug === req.params.product);
    if (!product || !product.cycles.includes(req.params.cycle)) throw new NotFoundError('No such release.');
    const cycle = req.params.cycle;
    const rows = (await readinessCandidates(db, product.base, 120)).map((r) => ({
      ...r,
      status: readinessOf(r.pypi_classifiers, product.prefix, cycle),
    }));
    const count = (s: string) => rows.filter((r) => r.status === s).length;
    const body = (
      <>
        <h1>
          {product.name} {cycle} readiness
        </h1>
        <p>
          Of the top {rows.length} packages: <strong>{count('yes')}</strong> declare support, {count('no')} list other versions only,{' '}
          {count('maybe')} declare no versions.
        </p>
        <table class="list">
          <thead>
            <tr>
              <th scope="col">Package</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.slug}>
                <td>
                  <a href={`/packages/p/${encodeURIComponent(r.slug)}/`}>{r.title}</a>
                </td>
                <td>
                  {r.status === 'yes' ? (
                    <span class="ic ic-yes">✔ yes</span>
                  ) : r.status === 'no' ? (
                    <span class="ic ic-no">✘ no</span>
                  ) : (
                    <span class="muted">maybe</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    );
    return sendHtml(req, reply, renderPage(req, { title: `${product.name} ${cycle} readiness`, body }));
  });

  app.get('/open/', async (req, reply) => {
    const s = await openStats(db, OPEN_CLASSIFIERS);
    const body = (
      <>
        <h1>Open statistics</h1>
        <dl class="stats">
          {(
            [
              ['Packages', s.total],
              ['Archived', s.archived],
              ['Deprecated', s.deprecated],
              ['On PyPI', s.pypiPackages],
              ['Downloads last month', s.downloads],
              ['Users', s.users],
            ] as const
          ).map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v.toLocaleString('en-US')}</dd>
            </div>
          ))}
        </dl>
        <div class="grid2">
          <section class="card">
            <h2>By code host</h2>
            <ul class="plain">
              {s.byHost.map((h) => (
                <li key={h.host}>
                  {h.host}: {h.n.toLocaleString('en-US')}
                </li>
              ))}
            </ul>
          </section>
          <section class="card">
            <h2>By category</h2>
            <ul class="plain">
              {s.byCategory.map((c) => (
                <li key={c.title}>
                  {c.title}: {c.n.toLocaleString('en-US')}
                </li>
              ))}
            </ul>
          </section>
          <section class="card">
            <h2>Classifiers</h2>
            <ul class="plain">
              {s.classifiers.map((c) => (
                <li key={c.classifier}>
                  {c.classifier}: {c.n.toLocaleString('en-US')}
                </li>
              ))}
            </ul>
          </section>
          <section class="card">
            <h2>Largest grids</h2>
            <ul class="plain">
              {s.topGrids.length === 0 ? <li class="muted">No grid has 25 packages yet.</li> : null}
              {s.topGrids.map((g) => (
                <li key={g.slug}>
                  <a href={`/grids/g/${encodeURIComponent(g.slug)}/`}>{g.title}</a>: {g.n}
                </li>
              ))}
            </ul>
          </section>
        </div>
      </>
    );
    return sendHtml(req, reply, renderPage(req, { title: 'Open statistics', body }));
  });

  for (const page of STATIC_PAGES) {
    app.get(page.path, async (req, reply) =>
      sendHtml(req, reply, renderPage(req, { title: page.title, body: page.body(config.siteTitle) })),
    );
  }

  app.get<{ Params: { account: string } }>('/profiles/:account/', async (req, reply) =>
    sendHtml(req, reply, await profilePage(req, req.params.account)),
  );

  async function profilePage(req: FastifyRequest, account: string): Promise<string> {
    const user = await findProfile(db, account);
    if (!user) throw new NotFoundError('No such profile.');
    const viewer = viewerOf(req);
    const own = viewer?.id === user.id;
    const handle = user.github_account || user.username;
    const [contributed, favourites, links] = await Promise.all([
      packagesByParticipant(db, handle, 100),
      user.share_favorites || own ? favouritePackages(db, user.id, 100) : Promise.resolve(null),
      profileLinks(db, user.id),
    ]);
    const body = (
      <>
        <h1>{user.username}</h1>
        {own ? (
          <p>
            <a href="/profiles/edit/">Edit your profile</a>
          </p>
        ) : null}
        <ul class="plain">
          <li>
            GitHub: <a href={`https://github.com/${encodeURIComponent(handle)}`}>{handle}</a>
          </li>
          {user.gitlab_url ? (
            <li>
              GitLab: <a href={`https://gitlab.com/${encodeURIComponent(user.gitlab_url)}`}>{user.gitlab_url}</a>
            </li>
          ) : null}
          {user.bitbucket_url ? (
            <li>
              Bitbucket: <a href={`https://bitbucket.org/${encodeURIComponent(user.bitbucket_url)}`}>{user.bitbucket_url}</a>
            </li>
          ) : null}
          {links.map((l) => (
            <li key={l.id}>
              {l.label}:{' '}
              <a href={safeHref(l.url)} rel="nofollow noopener me">
                {l.url}
              </a>
            </li>
          ))}
        </ul>
        <h2>Packages contributed</h2>
        {contributed.length ? <PackageTable items={contributed} tz={tz} /> : <p class="muted">None found.</p>}
        {favourites ? (
          <>
            <h2>Favourites</h2>
            {favourites.length ? <PackageTable items={favourites} tz={tz} /> : <p class="muted">No favourites yet.</p>}
          </>
        ) : null}
      </>
    );
    return renderPage(req, { title: user.username, body });
  }
}
