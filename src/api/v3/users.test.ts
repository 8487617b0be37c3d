import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createToken, createUser } from '../../accounts/account.service.js';
import { describeEachDb } from '../../../test/db.js';
import { createTestApp } from '../../../test/app.js';

const USER_KEYS = [
  'absolute_url',
  'resource_uri',
  'created',
  'modified',
  'github_account',
  'username',
  'date_joined',
  'last_login',
  'bitbucket_url',
  'gitlab_url',
];

describeEachDb(
  'API v3 users',
  (get) => {
    let app: FastifyInstance;
    let auth: Record<string, string>;
    let octoId = 0;
    let plainId = 0;
    let created = '';
    let contributed = '';
    beforeAll(async () => {
      const db = get().db;
      ({ app } = await createTestApp(get(), { RATE_LIMIT_READS_PER_MINUTE: '0' }));
      octoId = (await createUser(db, { username: 'octo' })).id;
      plainId = (await createUser(db, { username: 'plain.user' })).id;
      await db
        .updateTable('users')
        .set({
          github_account: 'OctoDev',
          bitbucket_url: 'https://bitbucket.org/octo',
          date_joined: '2020-01-02 03:04:05.678+00',
          last_login: null,
        })
        .where('id', '=', octoId)
        .execute();
      // One package they created, one where their (differently cased) login is among the participants.
      const a = await db
        .updateTable('packages')
        .set({ created_by_id: octoId })
        .where('id', '=', 4059)
        .returning('slug')
        .executeTakeFirstOrThrow();
      const b = await db
        .updateTable('packages')
        .set({ participants: ['someone', 'octodev'] })
        .where('id', '=', 100)
        .returning('slug')
        .executeTakeFirstOrThrow();
      created = a.slug;
      contributed = b.slug;
      auth = { authorization: `Token ${(await createToken(db, 'octo')).key}` };
    });
    afterAll(async () => app.close());

    it('needs a login for the list and the detail (401 JSON, no data)', async () => {
      for (const url of ['/api/v3/users/', '/api/v3/users/OctoDev/', '/api/v3/users/?list_packages=1']) {
        const res = await app.inject({ url });
        expect(res.statusCode, url).toBe(401);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.headers['www-authenticate']).toBe('Token');
        expect(res.body).toBe('{"detail":"Authentication credentials were not provided."}');
      }
      expect((await app.inject({ url: '/api/v3/users/', headers: { authorization: 'Token wrong' } })).statusCode).toBe(401);
    });

    it('lists users for a signed-in caller with the v3 envelope and keys', async () => {
      const res = await app.inject({ url: '/api/v3/users/?limit=1000', headers: auth });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('private');
      const body = JSON.parse(res.body) as { meta: Record<string, unknown>; objects: Record<string, unknown>[] };
      expect(Object.keys(body)).toEqual(['meta', 'objects']);
      expect(Object.keys(body.meta)).toEqual(['limit', 'next', 'offset', 'previous', 'total_count']);
      const total = Number(
        (
          await get()
            .db.selectFrom('users')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      expect(body.meta).toEqual({ limit: 1000, next: null, offset: 0, previous: null, total_count: total });
      for (const u of body.objects) expect(Object.keys(u)).toEqual(USER_KEYS);
      const octo = body.objects.find((u) => u.username === 'octo');
      expect(octo?.resource_uri).toBe('/api/v3/users/OctoDev/');
      const plain = body.objects.find((u) => u.username === 'plain.user');
      expect(plain?.resource_uri).toBe('/api/v3/users/plain.user/');
      const page = JSON.parse((await app.inject({ url: '/api/v3/users/?limit=1&offset=1', headers: auth })).body) as {
        meta: Record<string, unknown>;
        objects: unknown[];
      };
      expect(page.objects).toHaveLength(1);
      expect(page.meta.previous).toBe('/api/v3/users/?limit=1&offset=0');
    });

    it('serves one user by github_account (or username when there is none), DjangoJSONEncoder dates', async () => {
      const res = await app.inject({ url: '/api/v3/users/OctoDev/', headers: auth });
      expect(res.statusCode).toBe(200);
      const u = JSON.parse(res.body) as Record<string, unknown>;
      expect(Object.keys(u)).toEqual(USER_KEYS);
      expect(u).toMatchObject({
        absolute_url: '/profiles/OctoDev/',
        resource_uri: '/api/v3/users/OctoDev/',
        github_account: 'OctoDev',
        username: 'octo',
        date_joined: '2020-01-02T03:04:05.678Z',
        bitbucket_url: 'https://bitbucket.org/octo',
        gitlab_url: '',
      });
      // The token sign-in does not count as a login; the session one does.
      expect(u.last_login).toBeNull();
      expect(u.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/);
      expect('packages' in u).toBe(false);
      const plain = JSON.parse((await app.inject({ url: '/api/v3/users/plain.user/', headers: auth })).body) as Record<string, unknown>;
      expect(plain.username).toBe('plain.user');
      expect(plain.github_account).toBe('');
    });

    it('answers 404 for an unknown account', async () => {
      const res = await app.inject({ url: '/api/v3/users/nobody-here/', headers: auth });
      expect(res.statusCode).toBe(404);
      expect(res.body).toBe('{"detail":"Not found."}');
      // Matching is on github_account first: octo's username is not a key, since they have an account.
      expect((await app.inject({ url: '/api/v3/users/octo/', headers: auth })).statusCode).toBe(404);
    });

    it('lists the packages a user created or contributes to with ?list_packages=1', async () => {
      const u = JSON.parse((await app.inject({ url: '/api/v3/users/OctoDev/?list_packages=1', headers: auth })).body) as Record<
        string,
        unknown
      >;
      expect(Object.keys(u)).toEqual([...USER_KEYS, 'packages']);
      expect(u.packages).toEqual(expect.arrayContaining([`/api/v3/packages/${created}/`, `/api/v3/packages/${contributed}/`]));
      expect(u.packages).toHaveLength(2);
      const plain = JSON.parse((await app.inject({ url: '/api/v3/users/plain.user/?list_packages=1', headers: auth })).body) as Record<
        string,
        unknown
      >;
      expect(plain.packages).toEqual([]);
      const off = JSON.parse((await app.inject({ url: '/api/v3/users/OctoDev/?list_packages=0', headers: auth })).body) as Record<
        string,
        unknown
      >;
      expect('packages' in off).toBe(false);
      const list = JSON.parse((await app.inject({ url: '/api/v3/users/?list_packages=1&limit=1000', headers: auth })).body) as {
        objects: Record<string, unknown>[];
      };
      expect(list.objects.every((o) => Array.isArray(o.packages))).toBe(true);
      expect(list.objects.find((o) => o.username === 'octo')?.packages).toEqual(u.packages);
    });

    it("resolves a v3 package's created_by link to the user resource", async () => {
      const pkg = JSON.parse((await app.inject({ url: `/api/v3/packages/${created}/` })).body) as { created_by: string };
      expect(pkg.created_by).toBe('/api/v3/users/OctoDev/');
      expect((await app.inject({ url: pkg.created_by, headers: auth })).statusCode).toBe(200);
      await get().db.updateTable('packages').set({ created_by_id: plainId }).where('id', '=', 4059).execute();
      const other = JSON.parse((await app.inject({ url: `/api/v3/packages/${created}/` })).body) as { created_by: string };
      expect(other.created_by).toBe('/api/v3/users/plain.user/');
      expect(JSON.parse((await app.inject({ url: other.created_by, headers: auth })).body).username).toBe('plain.user');
      await get().db.updateTable('packages').set({ created_by_id: octoId }).where('id', '=', 4059).execute();
    });
  },
  { seeded: true },
);
