import type { TSchema } from '@sinclair/typebox';
import { CategorySchema, CategoryWriteSchema, GridSchema, GridWriteSchema, PackageSchema, PackageWriteSchema } from './v4/schemas.js';

type Json = Record<string, unknown>;

// JSON.stringify drops TypeBox's symbol keys; $id is dropped because components are addressed by name.
function plain(schema: TSchema): Json {
  const { $id: _id, ...rest } = JSON.parse(JSON.stringify(schema)) as Json;
  return rest;
}

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const jsonContent = (schema: Json): Json => ({ 'application/json': { schema } });
const page = (item: string): Json => ({
  type: 'object',
  required: ['count', 'next', 'previous', 'results'],
  properties: {
    count: { type: 'integer' },
    next: { type: ['string', 'null'], format: 'uri' },
    previous: { type: ['string', 'null'], format: 'uri' },
    results: { type: 'array', items: ref(item) },
  },
});

const PAGING = [
  {
    name: 'limit',
    in: 'query',
    schema: { type: 'integer', minimum: 1, default: 20 },
    description: 'Page size (default 20; capped at API_MAX_LIMIT, 1000 by default; a bad value means the default)',
  },
  { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
];
const FORMAT = {
  name: 'format',
  in: 'query',
  schema: { type: 'string', enum: ['json', 'api'] },
  description: 'json (default) or api (the browsable HTML view)',
};
const KEY = (what: string, slug: boolean) => ({
  name: 'key',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description: slug ? `${what} id (all digits) or slug` : `${what} id`,
});

const ERR = { description: 'Error', content: jsonContent(ref('Error')) };
const RESPONSES_WRITE = {
  '400': { description: 'Validation error: {"field": ["message"]}', content: jsonContent(ref('ValidationErrors')) },
  '401': ERR,
  '403': ERR,
  '429': { description: 'Throttled; see Retry-After', content: jsonContent(ref('Error')) },
};

function resource(
  base: string,
  name: string,
  item: string,
  write: string,
  opts: { slug: boolean; writeAccess: string; deleteAccess: string },
): Json {
  const tag = name;
  return {
    [`/api/v4/${base}/`]: {
      get: {
        tags: [tag],
        summary: `List ${base}, newest first`,
        parameters: [...PAGING, FORMAT],
        responses: { '200': { description: 'A page', content: jsonContent(page(item)) }, '429': ERR },
      },
      post: {
        tags: [tag],
        summary: `Create (${opts.writeAccess})`,
        security: [{ token: [] }, { session: [] }],
        requestBody: { required: true, content: jsonContent(ref(write)) },
        responses: { '201': { description: 'Created', content: jsonContent(ref(item)) }, ...RESPONSES_WRITE },
      },
    },
    [`/api/v4/${base}/{key}/`]: {
      parameters: [KEY(name, opts.slug), FORMAT],
      get: {
        tags: [tag],
        summary: `One ${name}`,
        responses: {
          '200': { description: 'The record', content: jsonContent(ref(item)) },
          '304': { description: 'Not modified (ETag / Last-Modified)' },
          '404': ERR,
        },
      },
      put: {
        tags: [tag],
        summary: `Replace (${opts.writeAccess})`,
        security: [{ token: [] }, { session: [] }],
        requestBody: { required: true, content: jsonContent(ref(write)) },
        responses: { '200': { description: 'Updated', content: jsonContent(ref(item)) }, '404': ERR, ...RESPONSES_WRITE },
      },
      patch: {
        tags: [tag],
        summary: `Update some fields (${opts.writeAccess})`,
        security: [{ token: [] }, { session: [] }],
        requestBody: { required: true, content: jsonContent(ref(write)) },
        responses: { '200': { description: 'Updated', content: jsonContent(ref(item)) }, '404': ERR, ...RESPONSES_WRITE },
      },
      delete: {
        tags: [tag],
        summary: `Delete (${opts.deleteAccess})`,
        security: [{ token: [] }, { session: [] }],
        responses: { '204': { description: 'Deleted' }, '404': ERR, ...RESPONSES_WRITE },
      },
    },
  };
}

/** The OpenAPI 3.1 document for /api/v4/, built from the same TypeBox schemas that validate write requests. */
export function openApiDocument(serverUrl: string): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'packgrid API v4',
      version: '4',
      description:
        'Wire-compatible with djangopackages.org /api/v4/ (same fields, order, hyperlinks, pagination). Additions: editing ' +
        '(Authorization: Token <key>, or the session cookie with X-CSRFToken), a limit cap (API_MAX_LIMIT), rate limits ' +
        '(429 + Retry-After), ETag/Last-Modified. Lists are newest id first; errors are {"detail": "..."}.',
    },
    servers: [{ url: serverUrl }],
    paths: {
      '/api/v4/': { get: { tags: ['root'], summary: 'API root', responses: { '200': { description: 'Links to the resources' } } } },
      ...resource('packages', 'package', 'Package', 'PackageWrite', { slug: true, writeAccess: 'signed-in users', deleteAccess: 'staff' }),
      '/api/v4/packages/{key}/rules/': {
        get: {
          tags: ['package'],
          summary: 'Why the package has its score and search weight (an addition: each formula line with points and reason)',
          parameters: [KEY('package', true), FORMAT],
          responses: { '200': { description: 'Score and search weight, stored and worked out now, with their lines' }, '404': ERR },
        },
      },
      '/api/v4/packages/{key}/fetch/': {
        post: {
          tags: ['package'],
          summary: 'Ask for a fresh fetch (signed-in users)',
          parameters: [KEY('package', true)],
          security: [{ token: [] }, { session: [] }],
          responses: { '202': { description: 'Requested' }, '401': ERR, '404': ERR },
        },
      },
      '/api/v4/search/': {
        get: {
          tags: ['search'],
          summary: 'Search packages and grids (not paginated: at most 20 items)',
          parameters: [{ name: 'q', in: 'query', schema: { type: 'string' } }],
          responses: { '200': { description: 'Results' } },
        },
      },
      ...resource('grids', 'grid', 'Grid', 'GridWrite', { slug: true, writeAccess: 'signed-in users', deleteAccess: 'staff' }),
      ...resource('categories', 'category', 'Category', 'CategoryWrite', { slug: false, writeAccess: 'staff', deleteAccess: 'staff' }),
    },
    components: {
      securitySchemes: {
        token: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Token <key> (packgrid token create <user>)' },
        session: { type: 'apiKey', in: 'cookie', name: 'packgrid_session', description: 'Unsafe methods also need X-CSRFToken' },
      },
      schemas: {
        Package: plain(PackageSchema),
        Grid: plain(GridSchema),
        Category: plain(CategorySchema),
        PackageWrite: plain(PackageWriteSchema),
        GridWrite: plain(GridWriteSchema),
        CategoryWrite: plain(CategoryWriteSchema),
        Error: { type: 'object', required: ['detail'], properties: { detail: { type: 'string' } } },
        ValidationErrors: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
      },
    },
  };
}
