import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_DATA_DIR } from '../../interchange/demo-seed.js';
import { describeEachDb } from '../../../test/db.js';
import { createTestApp } from '../../../test/app.js';

const lines = readFileSync(path.join(DEMO_DATA_DIR, 'packages.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '');
const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
const HEADERS = { host: 'djangopackages.org', 'x-forwarded-proto': 'https' };

/** The record as the original served it: the `_` bookkeeping keys dropped, key order kept. */
function original(r: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('_')));
}

/** A truncated record lacks some fields: compare exactly the ones it has, in order. */
function projected(body: string, r: Record<string, unknown>): string {
  const ours = JSON.parse(body) as Record<string, unknown>;
  return JSON.stringify(Object.fromEntries(Object.keys(original(r)).map((k) => [k, ours[k]])));
}

describeEachDb(
  'api v4 package records byte-for-byte',
  (get) => {
    let app: FastifyInstance;
    beforeAll(async () => {
      ({ app } = await createTestApp(get(), { TIME_ZONE: 'America/New_York', TRUST_PROXY: 'true', RATE_LIMIT_READS_PER_MINUTE: '0' }));
    });
    afterAll(async () => app.close());

    it('has all 168 real records', () => {
      expect(records).toHaveLength(168);
    });

    it('serves every real record exactly, by id and by slug', async () => {
      let complete = 0;
      for (const r of records) {
        const expected = JSON.stringify(original(r));
        for (const key of [String(r.id), String(r.slug)]) {
          const res = await app.inject({ url: `/api/v4/packages/${key}/?format=json`, headers: HEADERS });
          expect(res.statusCode, `package ${key}`).toBe(200);
          expect(res.headers['content-type']).toBe('application/json');
          if (r._truncated === true) {
            expect(projected(res.body, r), `package ${key}`).toBe(expected);
          } else {
            expect(res.body, `package ${key}`).toBe(expected);
            complete += 1;
          }
        }
      }
      expect(complete).toBe((168 - 31) * 2);
    });

    it('serves the seed page 4059 with the headers the original sends', async () => {
      const res = await app.inject({ url: '/api/v4/packages/4059/', headers: HEADERS });
      expect(res.statusCode).toBe(200);
      expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
      expect(res.headers.vary).toBe('Accept');
      const body = JSON.parse(res.body) as Record<string, unknown>;
      expect(body.category).toBe('https://djangopackages.org/api/v4/categories/4/');
      expect(body.id).toBe(4059);
    });
  },
  { seeded: true },
);
