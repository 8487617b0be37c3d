import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createToken, createUser } from '../../accounts/account.service.js';
import { describeEachDb } from '../../../test/db.js';
import { createTestApp } from '../../../test/app.js';
import { GridWriteSchema, PackageSchema, PackageWriteSchema } from './schemas.js';

const H = { host: 'packgrid.test' };

interface Options {
  name: string;
  actions?: Record<string, Record<string, Record<string, unknown>>>;
}

describeEachDb(
  'api v4 OPTIONS metadata',
  (get) => {
    let app: FastifyInstance;
    let user: Record<string, string>;
    let staff: Record<string, string>;
    beforeAll(async () => {
      const db = get().db;
      ({ app } = await createTestApp(get(), { RATE_LIMIT_READS_PER_MINUTE: '0' }));
      await createUser(db, { username: 'opt-user' });
      await createUser(db, { username: 'opt-staff', staff: true });
      user = { ...H, authorization: `Token ${(await createToken(db, 'opt-user')).key}` };
      staff = { ...H, authorization: `Token ${(await createToken(db, 'opt-staff')).key}` };
    });
    afterAll(async () => app.close());

    const options = async (url: string, headers: Record<string, string>): Promise<Options> => {
      const res = await app.inject({ method: 'OPTIONS', url, headers });
      expect(res.statusCode).toBe(200);
      return JSON.parse(res.body) as Options;
    };

    it('gives anonymous callers no actions, exactly as the seed page', async () => {
      for (const url of ['/api/v4/packages/', '/api/v4/packages/4059/', '/api/v4/grids/', '/api/v4/categories/1/']) {
        const body = await options(url, H);
        expect(Object.keys(body), url).toEqual(['name', 'description', 'renders', 'parses']);
      }
    });

    it('describes POST on a list for a signed-in editor, in DRF SimpleMetadata shape', async () => {
      const res = await app.inject({ method: 'OPTIONS', url: '/api/v4/packages/', headers: user });
      const body = JSON.parse(res.body) as Options;
      expect(Object.keys(body)).toEqual(['name', 'description', 'renders', 'parses', 'actions']);
      expect(Object.keys(body.actions ?? {})).toEqual(['POST']);
      const post = body.actions?.POST ?? {};
      expect(post.title).toEqual({ type: 'string', required: true, read_only: false, label: 'Title', max_length: 100 });
      expect(post.slug).toEqual({ type: 'slug', required: true, read_only: false, label: 'Slug', max_length: 100 });
      expect(post.category).toMatchObject({ type: 'field', required: true, read_only: false, label: 'Category' });
      expect(post.repo_url).toEqual({
        type: 'string',
        required: false,
        read_only: false,
        label: 'Repo url',
        help_text: 'Normalised to lowercase https://host/owner/repo',
        max_length: 255,
      });
      expect(post.documentation_url).toEqual({
        type: 'string',
        required: false,
        read_only: false,
        label: 'Documentation url',
        max_length: 200,
      });
      expect(post.id).toEqual({ type: 'integer', required: false, read_only: true, label: 'ID' });
      expect(post.modified).toEqual({ type: 'datetime', required: false, read_only: true, label: 'Modified' });
      expect(post.commits_over_52).toEqual({ type: 'list', required: false, read_only: true, label: 'Commits over 52' });
      // Built from the schemas: the record's field order, writable exactly where the write schema says.
      expect(Object.keys(post)).toEqual(Object.keys(PackageSchema.properties));
      const writable = Object.entries(post)
        .filter(([, f]) => f.read_only === false)
        .map(([k]) => k);
      expect(writable.sort()).toEqual(Object.keys(PackageWriteSchema.properties).sort());
      const required = Object.entries(post)
        .filter(([, f]) => f.required === true)
        .map(([k]) => k);
      expect(required.sort()).toEqual([...PackageWriteSchema.required].sort());
    });

    it('describes PUT on an existing detail, and not on an unknown one', async () => {
      const body = await options('/api/v4/grids/1/', user);
      expect(Object.keys(body.actions ?? {})).toEqual(['PUT']);
      const put = body.actions?.PUT ?? {};
      expect(put.packages).toEqual({
        type: 'field',
        required: false,
        read_only: false,
        label: 'Packages',
        help_text: 'Replaces the package list',
      });
      expect(put.description).toEqual({
        type: 'string',
        required: false,
        read_only: false,
        label: 'Description',
        max_length: GridWriteSchema.properties.description.maxLength,
      });
      expect(put.is_locked).toEqual({ type: 'boolean', required: false, read_only: true, label: 'Is locked' });
      const missing = await options('/api/v4/grids/99999999/', user);
      expect(Object.keys(missing)).toEqual(['name', 'description', 'renders', 'parses']);
    });

    it('follows permissions: categories are described to staff only', async () => {
      expect((await options('/api/v4/categories/', user)).actions).toBeUndefined();
      expect((await options('/api/v4/categories/1/', user)).actions).toBeUndefined();
      const list = await options('/api/v4/categories/', staff);
      expect(list.actions?.POST?.show_pypi).toEqual({ type: 'boolean', required: false, read_only: false, label: 'Show pypi' });
      expect(list.actions?.POST?.title).toEqual({ type: 'string', required: true, read_only: false, label: 'Title', max_length: 50 });
      expect(Object.keys((await options('/api/v4/categories/1/', staff)).actions ?? {})).toEqual(['PUT']);
    });

    it('keeps the Allow header per caller on OPTIONS', async () => {
      const anon = await app.inject({ method: 'OPTIONS', url: '/api/v4/packages/4059/', headers: H });
      expect(anon.headers.allow).toBe('GET, HEAD, OPTIONS');
      const signed = await app.inject({ method: 'OPTIONS', url: '/api/v4/packages/4059/', headers: user });
      expect(signed.headers.allow).toBe('GET, PUT, PATCH, HEAD, OPTIONS');
    });
  },
  { seeded: true },
);
