import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../errors.js';
import { createGrid, editGrid, getGrid, listGrids, removeGrid, type Grid, type GridInput } from '../../grids/grid.service.js';
import { mountResource, type CallContext, type Endpoint, type Limiters } from '../endpoint.js';
import { absoluteUrl, apiV4Base } from '../links.js';
import { nextLink, parseWindow, previousLink } from '../pagination.js';
import type { ApiResponse } from '../respond.js';
import { validateBody } from '../validate.js';
import { gridRecord, newest, resolveHyperlink } from './present.js';
import { GridSchema, GridWriteSchema, type GridWrite } from './schemas.js';

function toInput(body: Partial<GridWrite>): GridInput {
  const out: GridInput = {};
  if (body.title !== undefined) out.title = body.title.trim();
  if (body.slug !== undefined) out.slug = body.slug.trim().toLowerCase();
  if (body.description !== undefined) out.description = body.description;
  if (body.packages !== undefined) out.packages = body.packages.map((p) => resolveHyperlink('packages', 'packages', p));
  return out;
}

function respond(c: CallContext, g: Grid | undefined, status = 200): ApiResponse {
  if (!g) throw new NotFoundError();
  return { status, value: gridRecord(g, apiV4Base(c.req), c.req.server.ctx.config.timeZone), lastModified: g.modified };
}

async function lookup(c: CallContext): Promise<Grid> {
  const g = await getGrid(c.req.server.ctx.db, c.key);
  if (!g) throw new NotFoundError();
  return g;
}

function form(g: Grid | undefined, base: string): Record<string, unknown> {
  return {
    title: g?.title ?? '',
    slug: g?.slug ?? '',
    description: g?.description ?? '',
    packages: (g?.package_ids ?? []).map((id) => `${base}/packages/${id}/`),
  };
}

const list: Endpoint = {
  view: { name: 'Grid List', description: '' },
  async read(c) {
    const { config, db } = c.req.server.ctx;
    const w = parseWindow(c.req.query as Record<string, unknown>, config.apiMaxLimit);
    const { count, rows } = await listGrids(db, w.limit, w.offset);
    const base = apiV4Base(c.req);
    const url = absoluteUrl(c.req);
    const next = nextLink(url, w, count);
    const previous = previousLink(url, w);
    const value = { count, next, previous, results: rows.map((g) => gridRecord(g, base, config.timeZone)) };
    return { status: 200, value, lastModified: newest(rows.map((r) => r.modified)), extras: { next, previous } };
  },
  writes: {
    POST: {
      access: 'user',
      async handle(c, body) {
        const input = toInput(validateBody<GridWrite>(GridWriteSchema, body, false));
        const g = await createGrid(c.req.server.ctx.db, c.user?.id ?? 0, { title: '', slug: '', ...input });
        c.reply.header('location', `${apiV4Base(c.req)}/grids/${g.id}/`);
        return respond(c, g, 201);
      },
    },
  },
  fields: { record: GridSchema, write: GridWriteSchema },
  formTemplate: async (c) => form(undefined, apiV4Base(c.req)),
};

function update(partial: boolean) {
  return async (c: CallContext, body: unknown): Promise<ApiResponse> => {
    const g = await lookup(c);
    const input = toInput(validateBody<GridWrite>(GridWriteSchema, body, partial));
    return respond(c, await editGrid(c.req.server.ctx.db, c.user?.id ?? 0, g.id, input));
  };
}

const detail: Endpoint = {
  view: { name: 'Grid Instance', description: '' },
  async read(c) {
    return respond(c, await getGrid(c.req.server.ctx.db, c.key));
  },
  writes: {
    PUT: { access: 'user', handle: update(false) },
    PATCH: { access: 'user', handle: update(true) },
    DELETE: {
      access: 'staff',
      async handle(c) {
        const g = await lookup(c);
        await removeGrid(c.req.server.ctx.db, c.user?.id ?? 0, g.id);
        return { status: 204, value: null, json: '' };
      },
    },
  },
  fields: { record: GridSchema, write: GridWriteSchema },
  formTemplate: async (c) => form(await getGrid(c.req.server.ctx.db, c.key), apiV4Base(c.req)),
};

/** Mounts /api/v4/grids/ (list, detail by id or slug, suffixes). */
export function gridRoutes(app: FastifyInstance, limiters: Limiters): void {
  mountResource(app, '/api/v4/grids', list, detail, limiters);
}
