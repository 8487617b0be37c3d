import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren, VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { truncate } from './format.js';
import { ASSET_URLS } from './static.js';
import { viewerOf } from './viewer.js';

/** What a page hands the layout. */
export interface PageOptions {
  title: string;
  body: ComponentChildren;
  /** Full-width main column (grid pages). */
  wide?: boolean;
  description?: string;
  /** Extra <head> links (feeds, canonical). */
  head?: ComponentChildren;
}

function Header({ req }: { req: FastifyRequest }): VNode {
  const viewer = viewerOf(req);
  const q =
    typeof (req.query as Record<string, unknown> | undefined)?.q === 'string' ? String((req.query as Record<string, unknown>).q) : '';
  return (
    <header class="site">
      <div class="bar">
        <a class="brand" href="/">
          {req.server.ctx.config.siteTitle}
        </a>
        <nav class="main" aria-label="Main">
          <a href="/grids/">Grids</a>
          <a href="/packages/">Packages</a>
          <a href="/categories/">Categories</a>
          <a href="/readiness/">Readiness</a>
        </nav>
        <form class="search-form" role="search" method="get" action="/search/">
          <label for="site-q" class="skip">
            Search packages and grids
          </label>
          <input
            id="site-q"
            type="search"
            name="q"
            value={q}
            placeholder="Search packages and grids"
            autocomplete="off"
            hx-get="/search/suggestions/"
            hx-trigger="input changed delay:250ms, search"
            hx-target="#search-suggestions"
            aria-controls="search-suggestions"
          />
          <button type="submit">Search</button>
          <div id="search-suggestions" aria-live="polite"></div>
        </form>
        <div class="account">
          {viewer ? (
            <>
              <a href="/packages/add/">Add package</a>
              <a href={`/profiles/${encodeURIComponent(viewer.username)}/`}>{viewer.username}</a>
              {viewer.isStaff || viewer.isSuperuser ? <a href="/staff/">Staff</a> : null}
              <form method="post" action="/logout/" class="inline">
                <input type="hidden" name="csrfmiddlewaretoken" value={viewer.csrfToken} />
                <button type="submit" class="secondary">
                  Log out
                </button>
              </form>
            </>
          ) : (
            <a class="btn" href={`/login/?next=${encodeURIComponent(req.url)}`}>
              Sign in with GitHub
            </a>
          )}
        </div>
      </div>
    </header>
  );
}

/** Link previews (Open Graph) for the page at its public address. */
function SharingMeta({ req, opts }: { req: FastifyRequest; opts: PageOptions }): VNode {
  const { siteTitle, siteUrl } = req.server.ctx.config;
  const path = req.url.split('?')[0] ?? '/';
  return (
    <>
      <meta property="og:site_name" content={siteTitle} />
      <meta property="og:type" content="website" />
      <meta property="og:title" content={opts.title} />
      {opts.description ? <meta property="og:description" content={truncate(opts.description, 300)} /> : null}
      <meta property="og:url" content={`${siteUrl.replace(/\/+$/, '')}${path}`} />
      <meta name="twitter:card" content="summary" />
    </>
  );
}

function Document({ req, opts }: { req: FastifyRequest; opts: PageOptions }): VNode {
  const viewer = viewerOf(req);
  const { siteTitle } = req.server.ctx.config;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${opts.title} · ${siteTitle}`}</title>
        {opts.description ? <meta name="description" content={opts.description} /> : null}
        <SharingMeta req={req} opts={opts} />
        {viewer ? <meta name="csrf-token" content={viewer.csrfToken} /> : null}
        <link rel="stylesheet" href={ASSET_URLS.css} />
        <link rel="icon" href="/favicon.ico" type="image/svg+xml" />
        <link rel="search" type="application/opensearchdescription+xml" title={siteTitle} href="/search/opensearch/description/" />
        <link rel="alternate" type="application/rss+xml" title="Latest packages" href="/feeds/packages/latest/rss/" />
        {opts.head}
        <script src={ASSET_URLS.htmx} defer></script>
        <script src={ASSET_URLS.js} defer></script>
      </head>
      <body>
        <a class="skip" href="#content">
          Skip to content
        </a>
        <Header req={req} />
        <main id="content" class={opts.wide ? 'wide' : undefined}>
          {opts.body}
        </main>
        <footer class="site">
          <a href="/about/">About</a> · <a href="/faq/">FAQ</a> · <a href="/terms/">Terms</a> · <a href="/open/">Open stats</a> ·{' '}
          <a href="/api/v4/">API</a> · <a href="/feeds/packages/latest/rss/">RSS</a>
        </footer>
      </body>
    </html>
  );
}

/** Renders a full HTML page inside the site layout (used by every web page, and by the search pages). */
export function renderPage(req: FastifyRequest, opts: PageOptions): string {
  return '<!doctype html>' + renderToString(<Document req={req} opts={opts} />);
}

const BODY_SLOT = '@@packgrid-body-slot@@';

/**
 * Renders the layout around an already rendered, cached body (our own escaped markup) without re-parsing it:
 * the layout is drawn with a slot and the body bytes are spliced in.
 */
export function renderPageAround(req: FastifyRequest, opts: Omit<PageOptions, 'body'>, body: Buffer): Buffer {
  const html = renderPage(req, { ...opts, body: BODY_SLOT });
  const at = html.indexOf(BODY_SLOT);
  if (at === -1) throw new Error('layout lost the body slot');
  return Buffer.concat([Buffer.from(html.slice(0, at)), body, Buffer.from(html.slice(at + BODY_SLOT.length))]);
}

/** Renders a fragment (htmx partials) without the layout. */
export function renderFragment(node: VNode): string {
  return renderToString(node);
}

/** Sends an HTML page (or fragment) with the right type; pages of signed-in users are never cached by proxies. */
export function sendHtml(req: FastifyRequest, reply: FastifyReply, html: string | Buffer, status = 200): FastifyReply {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', viewerOf(req) ? 'private, no-store' : 'no-cache')
    .header('vary', 'Cookie, HX-Request')
    .send(html);
}

/** True when htmx asked for a partial. */
export function isHtmx(req: FastifyRequest): boolean {
  return req.headers['hx-request'] === 'true';
}
