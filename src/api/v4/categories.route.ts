import type { FastifyInstance } from 'fastify';
import {
  createCategory,
  editCategory,
  getCategoryById,
  listCategories,
  removeCategory,
  type Category,
  type CategoryInput,
} from '../../categories/category.service.js';
import { NotFoundError } from '../../errors.js';
import { mountResource, type CallContext, type Endpoint, type Limiters } from '../endpoint.js';
import { absoluteUrl } from '../links.js';
import { nextLink, parseWindow, previousLink } from '../pagination.js';
import type { ApiResponse } from '../respond.js';
import { validateBody } from '../validate.js';
import { categoryRecord, newest } from './present.js';
import { CategorySchema, CategoryWriteSchema, type CategoryWrite } from './schemas.js';

function toInput(body: Partial<CategoryWrite>): CategoryInput {
  const out: CategoryInput = {};
  if (body.title !== undefined) out.title = body.title.trim();
  if (body.slug !== undefined) out.slug = body.slug.trim();
  if (body.description !== undefined) out.description = body.description;
  if (body.title_plural !== undefined) out.title_plural = body.title_plural;
  if (body.show_pypi !== undefined) out.show_pypi = body.show_pypi;
  return out;
}

function respond(c: CallContext, cat: Category | undefined, status = 200): ApiResponse {
  if (!cat) throw new NotFoundError();
  return { status, value: categoryRecord(cat, c.req.server.ctx.config.timeZone), lastModified: cat.modified };
}

// Categories are looked up by pk only, as the original's CategoryViewSet.
async function lookup(c: CallContext): Promise<Category | undefined> {
  if (!/^\d+$/.test(c.key) || Number(c.key) > 2_147_483_647) return undefined;
  return getCategoryById(c.req.server.ctx.db, Number(c.key));
}

async function mustLookup(c: CallContext): Promise<Category> {
  const cat = await lookup(c);
  if (!cat) throw new NotFoundError();
  return cat;
}

function form(cat: Category | undefined): Record<string, unknown> {
  return {
    title: cat?.title ?? '',
    slug: cat?.slug ?? '',
    description: cat?.description ?? '',
    title_plural: cat?.title_plural ?? '',
    show_pypi: cat?.show_pypi ?? true,
  };
}

const list: Endpoint = {
  view: { name: 'Category List', description: '' },
  async read(c) {
    const { config, db } = c.req.server.ctx;
    const w = parseWindow(c.req.query as Record<string, unknown>, config.apiMaxLimit);
    const { count, rows } = await listCategories(db, w.limit, w.offset);
    const url = absoluteUrl(c.req);
    const next = nextLink(url, w, count);
    const previous = previousLink(url, w);
    const value = { count, next, previous, results: rows.map((r) => categoryRecord(r, config.timeZone)) };
    return { status: 200, value, lastModified: newest(rows.map((r) => r.modified)), extras: { next, previous } };
  },
  writes: {
    POST: {
      access: 'staff',
      async handle(c, body) {
        const input = toInput(validateBody<CategoryWrite>(CategoryWriteSchema, body, false));
        return respond(c, await createCategory(c.req.server.ctx.db, c.user?.id ?? 0, { title: '', slug: '', ...input }), 201);
      },
    },
  },
  fields: { record: CategorySchema, write: CategoryWriteSchema },
  formTemplate: async () => form(undefined),
};

function update(partial: boolean) {
  return async (c: CallContext, body: unknown): Promise<ApiResponse> => {
    const cat = await mustLookup(c);
    const input = toInput(validateBody<CategoryWrite>(CategoryWriteSchema, body, partial));
    return respond(c, await editCategory(c.req.server.ctx.db, c.user?.id ?? 0, cat.id, input));
  };
}

const detail: Endpoint = {
  view: { name: 'Category Instance', description: '' },
  async read(c) {
    return respond(c, await lookup(c));
  },
  writes: {
    PUT: { access: 'staff', handle: update(false) },
    PATCH: { access: 'staff', handle: update(true) },
    DELETE: {
      access: 'staff',
      async handle(c) {
        const cat = await mustLookup(c);
        await removeCategory(c.req.server.ctx.db, c.user?.id ?? 0, cat.id);
        return { status: 204, value: null, json: '' };
      },
    },
  },
  fields: { record: CategorySchema, write: CategoryWriteSchema },
  formTemplate: async (c) => form(await lookup(c)),
};

/** Mounts /api/v4/categories/ (list, detail by pk, suffixes). */
export function categoryRoutes(app: FastifyInstance, limiters: Limiters): void {
  mountResource(app, '/api/v4/categories', list, detail, limiters);
}
