import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../errors.js';
import { toPackageRecord, type PackageRecordRow } from '../../packages/package-record.js';
import {
  createPackage,
  deletePackage,
  editPackage,
  getPackageRecordRow,
  listPackageRecordRows,
  type PackageInput,
} from '../../packages/package.service.js';
import { explainPackageRanking, type PackageRanking } from '../../search/search.service.js';
import { mountResource, mountSingle, type CallContext, type Endpoint, type Limiters } from '../endpoint.js';
import { absoluteUrl, apiV4Base } from '../links.js';
import { nextLink, parseWindow, previousLink } from '../pagination.js';
import { compactJson, laterOf, type ApiResponse } from '../respond.js';
import { cacheFor, prepare } from '../response-cache.js';
import { validateBody } from '../validate.js';
import { newest, resolveHyperlink } from './present.js';
import { PackageSchema, PackageWriteSchema, type PackageWrite } from './schemas.js';

const DESCRIPTION = 'API endpoint that allows packages to be viewed or edited.';

function toInput(body: Partial<PackageWrite>): PackageInput {
  const out: PackageInput = {};
  if (body.title !== undefined) out.title = body.title;
  if (body.slug !== undefined) out.slug = body.slug;
  if (body.category !== undefined) out.category = resolveHyperlink('category', 'categories', body.category);
  if (body.repo_url !== undefined) out.repo_url = body.repo_url;
  if (body.pypi_url !== undefined) out.pypi_url = body.pypi_url;
  if (body.documentation_url !== undefined) out.documentation_url = body.documentation_url;
  return out;
}

function detailResponse(c: CallContext, row: PackageRecordRow | undefined, status = 200): ApiResponse {
  if (!row) throw new NotFoundError();
  const record = toPackageRecord(row, apiV4Base(c.req), c.req.server.ctx.config.timeZone);
  return { status, value: record, prepared: prepare(record, compactJson(record), laterOf(row.modified, row.last_fetched)) };
}

async function lookupId(c: CallContext): Promise<number> {
  const row = await getPackageRecordRow(c.req.server.ctx.db, c.key);
  if (!row) throw new NotFoundError();
  return row.id;
}

function editForm(row: PackageRecordRow | undefined, base: string): Record<string, unknown> {
  return {
    title: row?.title ?? '',
    slug: row?.slug ?? '',
    category: row ? `${base}/categories/${row.category_id}/` : `${base}/categories/1/`,
    repo_url: row?.repo_url ?? '',
    pypi_url: row?.pypi_url ?? '',
    documentation_url: row?.documentation_url ?? '',
  };
}

const list: Endpoint = {
  view: { name: 'Package List', description: DESCRIPTION },
  async read(c) {
    const ctx = c.req.server.ctx;
    const { config, db } = ctx;
    const cache = cacheFor(ctx, 'package-list');
    const key = `${c.req.protocol}://${c.req.host}${c.req.url}`;
    const now = Date.now();
    const hit = cache.get(key, now);
    if (hit !== undefined) return { status: 200, value: hit.value, prepared: hit, extras: hit.extras ?? {} };
    const w = parseWindow(c.req.query as Record<string, unknown>, config.apiMaxLimit);
    const { count, rows } = await listPackageRecordRows(db, w.limit, w.offset);
    const base = apiV4Base(c.req);
    const url = absoluteUrl(c.req);
    const next = nextLink(url, w, count);
    const previous = previousLink(url, w);
    const results = rows.map((r) => toPackageRecord(r, base, config.timeZone));
    const value = { count, next, previous, results };
    const prepared = prepare(value, compactJson(value), newest(rows.flatMap((r) => [r.modified, r.last_fetched])), { next, previous });
    cache.set(key, prepared, now);
    return { status: 200, value, prepared, extras: { next, previous } };
  },
  writes: {
    POST: {
      access: 'user',
      async handle(c, body) {
        const { db, refresh } = c.req.server.ctx;
        const input = toInput(validateBody<PackageWrite>(PackageWriteSchema, body, false));
        const id = await createPackage(db, refresh, c.user?.id ?? 0, { title: '', slug: '', category: 0, ...input });
        c.reply.header('location', `${apiV4Base(c.req)}/packages/${id}/`);
        return detailResponse(c, await getPackageRecordRow(db, String(id)), 201);
      },
    },
  },
  fields: { record: PackageSchema, write: PackageWriteSchema },
  formTemplate: async (c) => editForm(undefined, apiV4Base(c.req)),
};

function update(partial: boolean) {
  return async (c: CallContext, body: unknown): Promise<ApiResponse> => {
    const { db, refresh } = c.req.server.ctx;
    const id = await lookupId(c);
    const input = toInput(validateBody<PackageWrite>(PackageWriteSchema, body, partial));
    await editPackage(db, refresh, c.user?.id ?? 0, id, input);
    return detailResponse(c, await getPackageRecordRow(db, String(id)));
  };
}

const detail: Endpoint = {
  view: { name: 'Package Instance', description: DESCRIPTION },
  async read(c) {
    const ctx = c.req.server.ctx;
    const cache = cacheFor(ctx, 'package-detail');
    const key = `${c.req.protocol}://${c.req.host} ${c.key}`;
    const now = Date.now();
    const hit = cache.get(key, now);
    if (hit !== undefined) return { status: 200, value: hit.value, prepared: hit };
    const res = detailResponse(c, await getPackageRecordRow(ctx.db, c.key));
    if (res.prepared) cache.set(key, res.prepared, now);
    return res;
  },
  writes: {
    PUT: { access: 'user', handle: update(false) },
    PATCH: { access: 'user', handle: update(true) },
    DELETE: {
      access: 'staff',
      async handle(c) {
        const id = await lookupId(c);
        await deletePackage(c.req.server.ctx.db, c.user?.id ?? 0, id);
        return { status: 204, value: null, json: '' };
      },
    },
  },
  fields: { record: PackageSchema, write: PackageWriteSchema },
  formTemplate: async (c) => editForm(await getPackageRecordRow(c.req.server.ctx.db, c.key), apiV4Base(c.req)),
};

const fetch: Endpoint = {
  view: { name: 'Package Fetch', description: 'Asks for the package to be fetched from its code host and PyPI soon.' },
  writes: {
    POST: {
      access: 'user',
      async handle(c) {
        const id = await lookupId(c);
        await c.req.server.ctx.refresh.requestRefresh([id], 'requested');
        return { status: 202, value: { detail: 'Fetch requested.', id } };
      },
    },
  },
};

/** The rules page as JSON: snake_case, the lines in the formulas' order. */
function rankingJson(r: PackageRanking): Record<string, unknown> {
  return {
    id: r.packageId,
    score: {
      stored: r.storedScore,
      now: r.score.score,
      months_since_commit: r.score.monthsSinceCommit,
      breakdown: r.score.breakdown.map((l) => ({ rule: l.rule, points: l.points, reason: l.reason })),
    },
    search_weight: {
      stored: r.storedWeight,
      now: r.weight.weight,
      points: r.weight.total,
      max_points: r.weight.max,
      breakdown: r.weight.breakdown.map((l) => ({ rule: l.rule, points: l.points, max: l.max, reason: l.reason })),
    },
  };
}

const rules: Endpoint = {
  view: {
    name: 'Package Rules',
    description: "Why the package has its score and search weight: each formula's lines with their points and reasons.",
  },
  async read(c) {
    const ranking = await explainPackageRanking(c.req.server.ctx.db, await lookupId(c));
    if (!ranking) throw new NotFoundError();
    return { status: 200, value: rankingJson(ranking) };
  },
};

/** Mounts /api/v4/packages/ (list, detail, suffixes), GET /api/v4/packages/{id}/rules/ and POST .../fetch/. */
export function packageRoutes(app: FastifyInstance, limiters: Limiters): void {
  mountResource(app, '/api/v4/packages', list, detail, limiters);
  mountSingle(app, '/api/v4/packages/:key/rules/', rules, limiters);
  mountSingle(app, '/api/v4/packages/:key/fetch/', fetch, limiters);
}
