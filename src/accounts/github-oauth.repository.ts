import { sql } from 'kysely';
import type { Db } from '../db/index.js';

/** What GitHub tells us about the person signing in. */
export interface GithubIdentity {
  githubId: string;
  login: string;
  email: string;
  name: string;
  htmlUrl: string;
}

// Django's username limit; GitHub logins are at most 39 characters, so a suffix always fits.
const MAX_USERNAME = 150;

/**
 * Finds the user by GitHub id (else by a username equal to the login that has no GitHub id yet), updates the
 * profile fields the original refreshes on every login, or creates the user; returns the user id. One transaction.
 */
export async function upsertGithubUser(db: Db, who: GithubIdentity): Promise<{ id: number; isActive: boolean; created: boolean }> {
  return db.transaction().execute(async (trx) => {
    let row = await trx.selectFrom('users').select(['id', 'is_active']).where('github_id', '=', who.githubId).executeTakeFirst();
    if (!row)
      row = await trx
        .selectFrom('users')
        .select(['id', 'is_active'])
        .where('username', '=', who.login)
        .where('github_id', 'is', null)
        .executeTakeFirst();
    const [first, ...rest] = who.name.trim().split(/\s+/);
    const names = { first_name: (first ?? '').slice(0, 150), last_name: rest.join(' ').slice(0, 150) };
    if (row) {
      await trx
        .updateTable('users')
        .set({
          github_id: who.githubId,
          github_account: who.login,
          github_url: who.htmlUrl,
          ...(who.email ? { email: who.email } : {}),
          last_login: sql<string>`now()`,
          modified: sql<string>`now()`,
        })
        .where('id', '=', row.id)
        .execute();
      return { id: row.id, isActive: row.is_active, created: false };
    }
    // A local account may already hold the login as its username: take the first free "login-N".
    let username = who.login.slice(0, MAX_USERNAME);
    for (let n = 2; await trx.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst(); n++)
      username = `${who.login}-${n}`;
    const created = await trx
      .insertInto('users')
      .values({
        username,
        email: who.email,
        ...names,
        github_id: who.githubId,
        github_account: who.login,
        github_url: who.htmlUrl,
        last_login: sql<string>`now()`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: created.id, isActive: true, created: true };
  });
}
