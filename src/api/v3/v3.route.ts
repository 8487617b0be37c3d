import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getCategoryBySlug, listCategories, type Category } from '../../categories/category.service.js';
import { NotAuthenticatedError, NotFoundError } from '../../errors.js';
import { parseTimestamp } from '../../lib/datetime.js';
import type { Limiters } from '../endpoint.js';
import {
  legacyGrid,
  legacyGridPackages,
  legacyGrids,
  legacyPackage,
  legacyPackages,
  legacyUser,
  legacyUserPackageSlugs,
  legacyUsers,
  type LegacyGridRow,
  type LegacyPackageRow,
  type LegacyUserRow,
} from './legacy.repository.js';

// DjangoJSONEncoder: ISO 8601 in UTC, milliseconds, "Z".
function djangoDate(value: string | null): string | null {
  if (value === null) return null;
  const i = parseTimestamp(value);
  if (!i) return value;
  const iso = new Date(i.seconds * 1000 + Math.floor(i.micros / 1000)).toISOString();
  return i.micros === 0 ? iso.replace('.000Z', 'Z') : iso;
}

// The original's GET_int: int() or the default (negative values pass through to the slice, so clamp them at 0).
function getInt(q: Record<string, unknown>, name: string, fallback: number, max: number): number {
  const raw = q[name];
  if (typeof raw !== 'string' || !/^\s*[+-]?\d+\s*$/.test(raw)) return fallback;
  return Math.min(Math.max(Number(raw.trim()), 0), max);
}

function meta(path: string, limit: number, offset: number, count: number): Record<string, unknown> {
  return {
    limit,
    next: count > limit + offset ? `${path}?limit=${limit}&offset=${offset + limit}` : null,
    offset,
    previous: offset <= 0 ? null : `${path}?limit=${limit}&offset=${Math.max(offset - limit, 0)}`,
    total_count: count,
  };
}

function packageResource(p: LegacyPackageRow): Record<string, unknown> {
  const weeks = p.commits_over_52.join(',');
  return {
    absolute_url: `/packages/p/${p.slug}/`,
    created: djangoDate(p.created),
    modified: djangoDate(p.modified),
    slug: p.slug,
    title: p.title,
    category: `/api/v3/categories/${p.category_slug}/`,
    commit_list: weeks,
    commits_over_52: weeks,
    created_by: p.created_by === null ? null : `/api/v3/users/${p.created_by}/`,
    documentation_url: p.documentation_url,
    grids: p.grid_slugs.map((s) => `/api/v3/grids/${s}/`),
    last_fetched: djangoDate(p.last_fetched),
    last_modified_by: p.last_modified_by,
    participants: p.participants.filter((x) => x !== '').join(','),
    pypi_url: p.pypi_url,
    pypi_version: p.pypi_version ?? '',
    repo_description: p.repo_description,
    repo_forks: p.repo_forks,
    repo_url: p.repo_url,
    repo_watchers: p.repo_watchers,
    resource_uri: `/api/v3/packages/${p.slug}/`,
    usage_count: p.usage_count,
  };
}

function gridResource(g: LegacyGridRow): Record<string, unknown> {
  return {
    absolute_url: `/grids/g/${g.slug}/`,
    created: djangoDate(g.created),
    modified: djangoDate(g.modified),
    slug: g.slug,
    title: g.title,
    description: g.description,
    is_locked: g.is_locked,
    resource_uri: `/api/v3/grids/${g.slug}/`,
    header: g.header,
    packages: g.package_slugs.map((s) => `/api/v3/packages/${s}/`),
  };
}

function categoryResource(c: Category): Record<string, unknown> {
  return {
    absolute_url: `/categories/${c.slug}/`,
    created: djangoDate(c.created),
    modified: djangoDate(c.modified),
    slug: c.slug,
    title: c.title,
    description: c.description,
    resource_uri: `/api/v3/categories/${c.slug}/`,
    show_pypi: c.show_pypi,
    title_plural: c.title_plural,
  };
}

// The key of /api/v3/users/<key>/: the github_account, or the username for users without one (as created_by links).
function userKey(u: LegacyUserRow): string {
  return u.github_account !== '' ? u.github_account : u.username;
}

function userResource(u: LegacyUserRow, packages: string[] | undefined): Record<string, unknown> {
  const key = encodeURIComponent(userKey(u));
  return {
    absolute_url: `/profiles/${key}/`,
    resource_uri: `/api/v3/users/${key}/`,
    created: djangoDate(u.created),
    modified: djangoDate(u.modified),
    github_account: u.github_account,
    username: u.username,
    date_joined: djangoDate(u.date_joined),
    last_login: djangoDate(u.last_login),
    bitbucket_url: u.bitbucket_url,
    gitlab_url: u.gitlab_url,
    ...(packages !== undefined ? { packages: packages.map((s) => `/api/v3/packages/${s}/`) } : {}),
  };
}

// The original tests `request.GET.get("list_packages", False)` for truthiness; "0" and "false" also mean no here.
function wantsPackages(req: FastifyRequest): boolean {
  const v = (req.query as Record<string, unknown>).list_packages;
  return typeof v === 'string' && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

// The original wraps these views in login_required; an API client gets DRF's 401 instead of a redirect to a form.
function requireLogin(req: FastifyRequest, reply: FastifyReply): void {
  if (req.user) return;
  reply.header('www-authenticate', 'Token');
  throw new NotAuthenticatedError();
}

type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** Mounts the legacy /api/v3/ (read-only JSON, django-jsonview shapes; the users endpoints need a login). */
export function v3Routes(app: FastifyInstance, limiters: Limiters): void {
  const { db, config } = app.ctx;
  const max = config.apiMaxLimit;
  const route = (url: string, handler: Handler) => {
    app.get(url, async (req: FastifyRequest, reply: FastifyReply) => {
      limiters.reads.hit(req.ip);
      const value = await handler(req, reply);
      if (req.user) reply.header('cache-control', 'private');
      return reply.header('content-type', 'application/json').send(Buffer.from(JSON.stringify(value)));
    });
  };
  const page = (req: FastifyRequest) => {
    const q = req.query as Record<string, unknown>;
    return { limit: getInt(q, 'limit', 20, max), offset: getInt(q, 'offset', 0, Number.MAX_SAFE_INTEGER) };
  };
  const path = (req: FastifyRequest) => req.url.split('?')[0] ?? req.url;

  route('/api/v3/', async () => ({
    categories: '/api/v3/categories/',
    grids: '/api/v3/grids/',
    packages: '/api/v3/packages/',
    users: '/api/v3/users/',
  }));
  route('/api/v3/packages/', async (req) => {
    const { limit, offset } = page(req);
    const slug = (req.query as Record<string, unknown>).category;
    const category = typeof slug === 'string' ? await getCategoryBySlug(db, slug) : undefined;
    const { count, rows } = await legacyPackages(db, category?.id ?? null, limit, offset);
    return { meta: meta(path(req), limit, offset, count), category: null, objects: rows.map(packageResource) };
  });
  route('/api/v3/packages/:slug/', async (req) => {
    const p = await legacyPackage(db, (req.params as { slug: string }).slug);
    if (!p) throw new NotFoundError();
    return packageResource(p);
  });
  route('/api/v3/grids/', async (req) => {
    const { limit, offset } = page(req);
    const { count, rows } = await legacyGrids(db, limit, offset);
    return { meta: meta(path(req), limit, offset, count), objects: rows.map(gridResource) };
  });
  route('/api/v3/grids/:slug/', async (req) => {
    const g = await legacyGrid(db, (req.params as { slug: string }).slug);
    if (!g) throw new NotFoundError();
    return gridResource(g);
  });
  route('/api/v3/grids/:slug/packages/', async (req) => {
    const g = await legacyGrid(db, (req.params as { slug: string }).slug);
    if (!g) throw new NotFoundError();
    const { limit, offset } = page(req);
    const { count, rows } = await legacyGridPackages(db, g.id, limit, offset);
    return { meta: meta(path(req), limit, offset, count), grid: `/api/v3/grids/${g.slug}/`, objects: rows.map(packageResource) };
  });
  route('/api/v3/categories/', async (req) => {
    const { limit, offset } = page(req);
    const { count, rows } = await listCategories(db, limit, offset);
    return { meta: meta(path(req), limit, offset, count), objects: [...rows].sort((a, b) => a.id - b.id).map(categoryResource) };
  });
  route('/api/v3/categories/:slug/', async (req) => {
    const c = await getCategoryBySlug(db, (req.params as { slug: string }).slug);
    if (!c) throw new NotFoundError();
    return categoryResource(c);
  });
  route('/api/v3/users/', async (req, reply) => {
    requireLogin(req, reply);
    const { limit, offset } = page(req);
    const { count, rows } = await legacyUsers(db, limit, offset);
    const packages = wantsPackages(req)
      ? await legacyUserPackageSlugs(
          db,
          rows.map((u) => u.id),
        )
      : undefined;
    return { meta: meta(path(req), limit, offset, count), objects: rows.map((u) => userResource(u, packages?.get(u.id))) };
  });
  route('/api/v3/users/:account/', async (req, reply) => {
    requireLogin(req, reply);
    const u = await legacyUser(db, (req.params as { account: string }).account);
    if (!u) throw new NotFoundError();
    const packages = wantsPackages(req) ? ((await legacyUserPackageSlugs(db, [u.id])).get(u.id) ?? []) : undefined;
    return userResource(u, packages);
  });
}
