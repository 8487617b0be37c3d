import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../../test/db.js';
import { createTestApp } from '../../test/app.js';
import { PackageWriteSchema } from './v4/schemas.js';

describeEachDb(
  'OpenAPI, docs and API v3',
  (get) => {
    let app: FastifyInstance;
    beforeAll(async () => {
      ({ app } = await createTestApp(get(), { RATE_LIMIT_READS_PER_MINUTE: '0' }));
    });
    afterAll(async () => app.close());

    it('serves an OpenAPI 3.1 document built from the validation schemas', async () => {
      const res = await app.inject({ url: '/api/v4/openapi.json', headers: { host: 'packgrid.test' } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/json');
      const doc = JSON.parse(res.body) as {
        openapi: string;
        servers: { url: string }[];
        paths: Record<string, Record<string, unknown>>;
        components: { schemas: Record<string, { required?: string[]; properties: Record<string, unknown> }> };
      };
      expect(doc.openapi).toBe('3.1.0');
      expect(doc.servers[0]?.url).toBe('http://packgrid.test');
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/api/v4/packages/',
          '/api/v4/packages/{key}/',
          '/api/v4/grids/{key}/',
          '/api/v4/categories/',
          '/api/v4/search/',
        ]),
      );
      expect(Object.keys(doc.paths['/api/v4/packages/{key}/'] ?? {})).toEqual(expect.arrayContaining(['get', 'put', 'patch', 'delete']));
      const write = doc.components.schemas.PackageWrite;
      expect(write?.required).toEqual(PackageWriteSchema.required);
      expect(Object.keys(write?.properties ?? {})).toEqual(Object.keys(PackageWriteSchema.properties));
      expect(Object.keys(doc.components.schemas.Package?.properties ?? {})[0]).toBe('category');
    });

    it('serves a docs page listing every operation', async () => {
      const res = await app.inject({ url: '/api/docs/' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('/api/v4/openapi.json');
      expect(res.body).toContain('/api/v4/packages/{key}/fetch/');
      expect(res.body).toContain('/api/v4/packages/{key}/rules/');
      expect((await app.inject({ url: '/api/docs' })).statusCode).toBe(301);
    });

    it('keeps the v3 index and list envelope', async () => {
      const idx = await app.inject({ url: '/api/v3/' });
      expect(idx.body).toBe(
        '{"categories":"/api/v3/categories/","grids":"/api/v3/grids/","packages":"/api/v3/packages/","users":"/api/v3/users/"}',
      );
      const list = JSON.parse((await app.inject({ url: '/api/v3/packages/?limit=2&offset=2' })).body) as {
        meta: Record<string, unknown>;
        category: null;
        objects: Record<string, unknown>[];
      };
      expect(Object.keys(list)).toEqual(['meta', 'category', 'objects']);
      expect(list.meta).toMatchObject({
        limit: 2,
        next: '/api/v3/packages/?limit=2&offset=4',
        offset: 2,
        previous: '/api/v3/packages/?limit=2&offset=0',
      });
      const p = list.objects[0] ?? {};
      expect(Object.keys(p).slice(0, 5)).toEqual(['absolute_url', 'created', 'modified', 'slug', 'title']);
      expect(typeof p.participants).toBe('string');
      expect(String(p.created)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
    });

    it('serves v3 package, grid and category resources by slug, 404 otherwise', async () => {
      const p = JSON.parse((await app.inject({ url: '/api/v3/packages/ansible-django-stack/' })).body) as Record<string, unknown>;
      expect(p.resource_uri).toBe('/api/v3/packages/ansible-django-stack/');
      expect(p.category).toMatch(/^\/api\/v3\/categories\/[\w-]+\/$/);
      expect(String(p.commits_over_52).split(',')).toHaveLength(52);
      const grids = JSON.parse((await app.inject({ url: '/api/v3/grids/?limit=1' })).body) as { objects: { slug: string }[] };
      const slug = grids.objects[0]?.slug ?? '';
      const g = JSON.parse((await app.inject({ url: `/api/v3/grids/${slug}/` })).body) as Record<string, unknown>;
      expect(Object.keys(g)).toEqual([
        'absolute_url',
        'created',
        'modified',
        'slug',
        'title',
        'description',
        'is_locked',
        'resource_uri',
        'header',
        'packages',
      ]);
      const gp = JSON.parse((await app.inject({ url: `/api/v3/grids/${slug}/packages/` })).body) as Record<string, unknown>;
      expect(gp.grid).toBe(`/api/v3/grids/${slug}/`);
      expect((await app.inject({ url: '/api/v3/packages/nope-nope/' })).statusCode).toBe(404);
      expect((await app.inject({ url: '/api/v3/categories/apps/' })).statusCode).toBeLessThan(500);
    });
  },
  { seeded: true },
);
