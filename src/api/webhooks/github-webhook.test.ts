import { createHmac } from 'node:crypto';
import { expect, it } from 'vitest';
import { createTestApp } from '../../../test/app.js';
import { describeEachDb } from '../../../test/db.js';
import { insertPackage } from '../../../test/refresh-helpers.js';

const SECRET = 'webhook-secret-for-tests';
const sign = (body: string, secret = SECRET): string => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describeEachDb('POST /webhooks/github', (get) => {
  async function post(body: string, headers: Record<string, string>, env: Record<string, string> = { GITHUB_WEBHOOK_SECRET: SECRET }) {
    const { app } = await createTestApp(get(), env);
    const res = await app.inject({
      method: 'POST',
      url: '/webhooks/github',
      payload: body,
      headers: { 'content-type': 'application/json', ...headers },
    });
    await app.close();
    return res;
  }

  it('answers a signed ping with zen and hook_id', async () => {
    const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 42 });
    const res = await post(body, { 'x-github-event': 'ping', 'x-hub-signature-256': sign(body) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ zen: 'Keep it logically awesome.', hook_id: 42 });
  });

  it('rejects a missing or wrong signature with 401, and refuses with 403 when no secret is configured', async () => {
    const body = JSON.stringify({ zen: 'x', hook_id: 1 });
    expect((await post(body, { 'x-github-event': 'ping' })).statusCode).toBe(401);
    const bad = await post(body, { 'x-github-event': 'ping', 'x-hub-signature-256': sign(body, 'another-secret') });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toEqual({ error: { code: 'not_authenticated', message: 'Missing or invalid X-Hub-Signature-256.' } });
    const tampered = await post(body + ' ', { 'x-github-event': 'ping', 'x-hub-signature-256': sign(body) });
    expect(tampered.statusCode).toBe(401);
    const off = await post(body, { 'x-github-event': 'ping', 'x-hub-signature-256': sign(body) }, {});
    expect(off.statusCode).toBe(403);
    expect(off.json().error.message).toContain('GITHUB_WEBHOOK_SECRET');
  });

  it('queues a refresh of the package whose repo matches on push and release (case-insensitive, normalised)', async () => {
    const { db } = get();
    const id = await insertPackage(db, 'hooked', 'https://github.com/Acme/Hooked');
    const other = await insertPackage(db, 'unhooked', 'https://github.com/acme/unhooked');
    for (const event of ['push', 'release']) {
      await db.updateTable('packages').set({ fetch_requested_at: null }).execute();
      const body = JSON.stringify({
        ref: 'refs/heads/main',
        repository: { html_url: 'https://github.com/acme/hooked/', full_name: 'acme/hooked' },
      });
      const res = await post(body, { 'x-github-event': event, 'x-hub-signature-256': sign(body) });
      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({ event, queued: [id] });
      const rows = await db
        .selectFrom('packages')
        .select(['id', 'fetch_requested_at'])
        .where('id', 'in', [id, other])
        .orderBy('id')
        .execute();
      expect(rows[0]?.fetch_requested_at).not.toBeNull();
      expect(rows[1]?.fetch_requested_at).toBeNull();
    }
    const body = JSON.stringify({ repository: { html_url: 'https://github.com/acme/nobody' } });
    expect((await post(body, { 'x-github-event': 'push', 'x-hub-signature-256': sign(body) })).json()).toEqual({
      event: 'push',
      queued: [],
    });
    const form = 'payload=' + encodeURIComponent(JSON.stringify({ repository: { html_url: 'https://github.com/acme/hooked' } }));
    const viaForm = await post(form, {
      'content-type': 'application/x-www-form-urlencoded',
      'x-github-event': 'push',
      'x-hub-signature-256': sign(form),
    });
    expect(viaForm.json()).toEqual({ event: 'push', queued: [id] });
    const junk = 'not json';
    expect((await post(junk, { 'x-github-event': 'push', 'x-hub-signature-256': sign(junk) })).statusCode).toBe(400);
  });
});
