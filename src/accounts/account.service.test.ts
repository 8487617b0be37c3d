import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDb } from '../../test/db.js';
import { authenticateToken, createSession, createToken, createUser, destroySession, revokeToken, sessionUser } from './account.service.js';

describeEachDb('accounts', (get) => {
  it('stores only the sha256 of a token, authenticates with it and stops after revoke', async () => {
    const db = get().db;
    const u = await createUser(db, { username: 'tok-user', email: 't@example.org' });
    const t = await createToken(db, 'tok-user', 'ci');
    const row = await db.selectFrom('api_tokens').selectAll().where('id', '=', t.id).executeTakeFirstOrThrow();
    expect(row.key_hash).toBe(createHash('sha256').update(t.key).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(t.key);
    expect(await authenticateToken(db, t.key)).toEqual({ id: u.id, username: 'tok-user', isStaff: false, isSuperuser: false });
    expect(await authenticateToken(db, t.key + 'x')).toBeNull();
    expect(await revokeToken(db, t.prefix)).toBe(1);
    expect(await authenticateToken(db, t.key)).toBeNull();
    expect(await revokeToken(db, String(t.id))).toBe(0);
  });

  it('refuses taken and malformed usernames and unknown token owners', async () => {
    const db = get().db;
    await createUser(db, { username: 'dupe' });
    await expect(createUser(db, { username: 'dupe' })).rejects.toMatchObject({
      status: 400,
      fields: { username: ['A user with that username already exists.'] },
    });
    await expect(createUser(db, { username: 'bad name' })).rejects.toMatchObject({ status: 400 });
    await expect(createToken(db, 'nobody')).rejects.toMatchObject({ status: 404 });
  });

  it('creates and destroys sessions (only the hash is stored)', async () => {
    const db = get().db;
    const u = await createUser(db, { username: 'sess-user', staff: true });
    const s = await createSession(db, u.id);
    const stored = await db.selectFrom('sessions').select('id_hash').where('user_id', '=', u.id).execute();
    expect(stored.map((r) => r.id_hash)).toEqual([createHash('sha256').update(s.cookieValue).digest('hex')]);
    expect(await sessionUser(db, s.cookieValue)).toEqual({
      user: { id: u.id, username: 'sess-user', isStaff: true, isSuperuser: false },
      csrfToken: s.csrfToken,
    });
    await destroySession(db, s.cookieValue);
    expect(await sessionUser(db, s.cookieValue)).toBeNull();
  });
});
