import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { allCategories } from '../../categories/category.service.js';
import { FixedWindowLimiter } from '../../rate-limit.js';
import { recordSearchMiss, search } from '../../search/search.service.js';
import { cleanQuery, parseSort, type SearchFilters, type SearchSort } from '../../search/query.js';
import { hitPath, type MarkedText, type SearchHit } from '../../search/search.js';
import { Pager } from '../components.js';
import { formatCount, formatDay, truncate } from '../format.js';
import { isHtmx, renderFragment, renderPage, sendHtml } from '../layout.js';
import { pageParam, qs, toQuery } from '../params.js';

const PAGE_SIZE = 20;
const SUGGESTIONS_PAGE = 10;
const OPENSEARCH_LIMIT = 15;
// Deep pages of a relevance ranking are noise; the candidate sets are capped anyway.
const MAX_PAGE = 50;

interface SearchParams {
  q: string;
  category: string;
  python3: boolean;
  active: boolean;
  sort: SearchSort;
  page: number;
}

const SORT_LABELS: Record<SearchSort, string> = {
  relevance: 'Relevance',
  stars: 'Stars',
  score: 'Score',
  activity: 'Last commit',
  released: 'Last release',
};

function flag(req: FastifyRequest, name: string): boolean {
  return ['1', 'on', 'true', 'yes'].includes(qs(req, name, 5).toLowerCase());
}

function readParams(req: FastifyRequest): SearchParams {
  return {
    q: cleanQuery(qs(req, 'q', 1000)),
    // Only slug characters reach the database (a NUL byte would be an error there, not an empty result).
    category: /^[\w-]+$/.test(qs(req, 'category', 50)) ? qs(req, 'category', 50) : '',
    python3: flag(req, 'python3'),
    active: flag(req, 'active'),
    sort: parseSort(qs(req, 'sort', 20)),
    page: Math.min(pageParam(req), MAX_PAGE),
  };
}

function filtersOf(p: SearchParams): SearchFilters {
  return { category: p.category === '' ? undefined : p.category, python3: p.python3, activeOnly: p.active };
}

function hrefFor(p: SearchParams, page: number): string {
  const sort = p.sort === 'relevance' ? '' : p.sort;
  return `/search/${toQuery({ q: p.q, category: p.category, python3: p.python3 ? '1' : '', active: p.active ? '1' : '', sort, page })}`;
}

// How much text to keep before the first marked word when the text has to start later for the mark to show.
const LEAD = 60;

/**
 * Marked text cut to `max` visible characters, each matched word in <mark>. When the first mark would fall past the
 * cut, the text starts a little before it instead ("…"), so the reason for the match is always shown.
 */
function Marked({ parts, max }: { parts: readonly MarkedText[]; max: number }): VNode {
  let skip = 0;
  let before = 0;
  for (const part of parts) {
    if (part.mark) {
      if (before + part.text.length > max) skip = Math.max(0, before - LEAD);
      break;
    }
    before += part.text.length;
  }
  const out: (VNode | string)[] = skip > 0 ? ['…'] : [];
  let left = max;
  for (const part of parts) {
    let text = part.text;
    if (skip > 0) {
      const drop = Math.min(skip, text.length);
      text = text.slice(drop);
      skip -= drop;
      if (text === '') continue;
    }
    if (left <= 0) break;
    const shown = text.length > left ? `${text.slice(0, left).trimEnd()}…` : text;
    left -= text.length;
    out.push(part.mark ? <mark>{shown}</mark> : shown);
  }
  return <>{out}</>;
}

function ResultItem({ hit, tz }: { hit: SearchHit; tz: string }): VNode {
  const { excerpt } = hit;
  return (
    <li class="search-result">
      <h3>
        <a href={hitPath(hit)}>{hit.title}</a> <span class="muted">{hit.itemType === 'grid' ? 'Grid' : (hit.category ?? '')}</span>
        {hit.itemType === 'package' && !hit.isActive ? <span class="badge warning">archived or deprecated</span> : null}
      </h3>
      {excerpt?.where === 'description' ? (
        <p>
          <Marked parts={excerpt.parts} max={240} />
        </p>
      ) : hit.description ? (
        <p>{truncate(hit.description, 240)}</p>
      ) : null}
      {excerpt?.where === 'grids' ? (
        <p class="small excerpt">
          {hit.itemType === 'grid' ? 'Features: ' : 'In grids: '}
          <Marked parts={excerpt.parts} max={240} />
        </p>
      ) : null}
      {hit.itemType === 'package' ? (
        <p class="muted small">
          {formatCount(hit.repoWatchers)} stars · {formatCount(hit.repoForks)} forks · score {hit.score}
          {hit.pypiVersion ? ` · version ${hit.pypiVersion}` : ''}
          {hit.lastCommitted ? ` · last commit ${formatDay(hit.lastCommitted, tz)}` : ''}
          {hit.supportsPython3 === true ? ' · Python 3' : ''}
        </p>
      ) : null}
    </li>
  );
}

function SearchPageBody({
  p,
  corrected,
  hits,
  total,
  more,
  categories,
  tz,
}: {
  p: SearchParams;
  corrected: string | null;
  more: boolean;
  hits: readonly SearchHit[];
  total: number;
  categories: readonly { slug: string; title: string }[];
  tz: string;
}): VNode {
  return (
    <section class="search-page">
      <h1>{p.q ? `Search results for “${p.q}”` : 'Search'}</h1>
      <form method="get" action="/search/" class="search-filters">
        <label>
          Query <input type="search" name="q" value={p.q} maxLength={200} />
        </label>
        <label>
          Category{' '}
          <select name="category">
            <option value="">Any</option>
            {categories.map((c) => (
              <option value={c.slug} selected={c.slug === p.category}>
                {c.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" name="python3" value="1" checked={p.python3} /> Python 3
        </label>
        <label>
          <input type="checkbox" name="active" value="1" checked={p.active} /> Active only
        </label>
        <label>
          Sort{' '}
          <select name="sort">
            {Object.entries(SORT_LABELS).map(([value, label]) => (
              <option value={value === 'relevance' ? '' : value} selected={value === p.sort}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Search</button>
      </form>
      {p.q === '' ? (
        <p>Type the name of a package, a feature or a task (for example “rest api”, “thumbnails”, “two-factor”).</p>
      ) : total === 0 ? (
        <p>No packages or grids match “{p.q}”. Try fewer words or another spelling.</p>
      ) : (
        <>
          {corrected !== null ? (
            <p class="search-corrected">
              Including results for “<a href={hrefFor({ ...p, q: corrected }, 1)}>{corrected}</a>”.
            </p>
          ) : null}
          <p class="muted">
            {more
              ? `${total}+ results: the ${total} best-weighted matches, ${p.sort === 'relevance' ? 'ranked by relevance' : `by ${SORT_LABELS[p.sort].toLowerCase()}`}. Add a word to narrow them.`
              : `${total} result${total === 1 ? '' : 's'}`}
          </p>
          <ol class="search-results" start={(p.page - 1) * PAGE_SIZE + 1}>
            {hits.map((h) => (
              <ResultItem hit={h} tz={tz} />
            ))}
          </ol>
          <Pager page={p.page} pageSize={PAGE_SIZE} total={Math.min(total, MAX_PAGE * PAGE_SIZE)} href={(n) => hrefFor(p, n)} />
        </>
      )}
    </section>
  );
}

function Suggestions({
  q,
  hits,
  page,
  more,
  tz,
}: {
  q: string;
  hits: readonly SearchHit[];
  page: number;
  more: boolean;
  tz: string;
}): VNode {
  const items = hits.map((h) => (
    <li class="suggestion">
      <a href={hitPath(h)}>
        <strong>{h.title}</strong> <span class="muted">{h.itemType === 'grid' ? 'Grid' : (h.category ?? '')}</span>
        {h.description ? <span class="small"> {truncate(h.description, 100)}</span> : null}
        {h.itemType === 'package' ? (
          <span class="muted small">
            {' '}
            {h.pypiVersion ? `v${h.pypiVersion} · ` : ''}★ {formatCount(h.repoWatchers)} · forks {formatCount(h.repoForks)} · score{' '}
            {h.score}
            {h.lastReleased ? ` · released ${formatDay(h.lastReleased, tz)}` : ''}
          </span>
        ) : null}
      </a>
    </li>
  ));
  const loadMore = more ? (
    <li class="suggestion more">
      <a
        href={`/search/${toQuery({ q })}`}
        hx-get={`/search/suggestions/${toQuery({ q, page: page + 1 })}`}
        hx-target="closest li"
        hx-swap="outerHTML"
      >
        Load more
      </a>
    </li>
  ) : null;
  // Later pages replace the "load more" item with their rows, so they are sent without the list around them.
  if (page > 1) return <>{[...items, loadMore]}</>;
  if (hits.length === 0) return <div class="suggestions empty muted">No matches for “{q}”.</div>;
  return (
    <ul class="suggestions" role="listbox">
      {items}
      {loadMore}
    </ul>
  );
}

/** Counts one search against the client's budget; throws ThrottledError (429) when it is spent. */
type CountSearch = (req: FastifyRequest) => void;

async function searchPage(req: FastifyRequest, reply: FastifyReply, countSearch: CountSearch): Promise<FastifyReply> {
  const { db, config } = req.server.ctx;
  const p = readParams(req);
  if (p.q !== '') countSearch(req);
  const [page, categories] = await Promise.all([
    p.q
      ? search(db, p.q, { limit: PAGE_SIZE, offset: (p.page - 1) * PAGE_SIZE, filters: filtersOf(p), excerpts: true, sort: p.sort })
      : Promise.resolve({ query: '', corrected: null, hits: [], total: 0, more: false }),
    allCategories(db),
  ]);
  // A search that found nothing, with no filter to blame, tells the staff what the directory lacks. Recording it
  // must never cost the visitor the page.
  if (p.q !== '' && page.total === 0 && p.page === 1 && p.category === '' && !p.python3 && !p.active)
    await recordSearchMiss(db, p.q).catch((err: unknown) => req.log.warn({ err }, 'search miss not recorded'));
  const body = (
    <SearchPageBody
      p={p}
      corrected={page.corrected}
      hits={page.hits}
      total={page.total}
      more={page.more}
      categories={categories}
      tz={config.timeZone}
    />
  );
  if (isHtmx(req)) return sendHtml(req, reply, renderFragment(body));
  return sendHtml(req, reply, renderPage(req, { title: p.q ? `Search: ${p.q}` : 'Search', body }));
}

async function suggestions(req: FastifyRequest, reply: FastifyReply, countSearch: CountSearch): Promise<FastifyReply> {
  const { db, config } = req.server.ctx;
  const q = cleanQuery(qs(req, 'q', 1000));
  const page = Math.min(pageParam(req), MAX_PAGE);
  if (q === '') return sendHtml(req, reply, '');
  countSearch(req);
  const res = await search(db, q, { limit: SUGGESTIONS_PAGE + 1, offset: (page - 1) * SUGGESTIONS_PAGE });
  const more = res.hits.length > SUGGESTIONS_PAGE;
  return sendHtml(
    req,
    reply,
    renderFragment(<Suggestions q={q} hits={res.hits.slice(0, SUGGESTIONS_PAGE)} page={page} more={more} tz={config.timeZone} />),
  );
}

async function openSearchSuggestions(req: FastifyRequest, reply: FastifyReply, countSearch: CountSearch): Promise<FastifyReply> {
  const { db, config } = req.server.ctx;
  const raw = qs(req, 'q', 1000);
  const q = cleanQuery(raw);
  if (q !== '') countSearch(req);
  const hits = q === '' ? [] : (await search(db, q, { limit: OPENSEARCH_LIMIT })).hits;
  const site = config.siteUrl.replace(/\/+$/, '');
  const body = [raw, hits.map((h) => h.title), [], hits.map((h) => site + hitPath(h))];
  return reply
    .type('application/x-suggestions+json; charset=utf-8')
    .header('cache-control', 'public, max-age=300')
    .send(JSON.stringify(body));
}

/** Registers the search results page, the htmx suggestions dropdown and OpenSearch suggestions (the description XML is the web engineer's, in site.routes). */
export function registerSearchRoutes(app: FastifyInstance): void {
  // Every search runs queries, so each address gets a budget per minute (RATE_LIMIT_SEARCHES_PER_MINUTE); an empty
  // query costs nothing and is not counted. In memory, per process, as the API's limits.
  const searches = new FixedWindowLimiter(app.ctx.config.rateLimitSearchesPerMinute);
  const count: CountSearch = (req) => searches.hit(req.ip);
  app.get('/search/', (req, reply) => searchPage(req, reply, count));
  app.get('/search/suggestions/', (req, reply) => suggestions(req, reply, count));
  app.get('/search/opensearch/suggestions/', (req, reply) => openSearchSuggestions(req, reply, count));
}
