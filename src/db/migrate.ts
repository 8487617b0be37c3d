import { Migrator, sql, type MigrationResultSet } from 'kysely';
import type { Db } from './index.js';
import { migrations } from './migrations/index.js';

/** Applies every pending migration; running it again is a no-op. Throws with the failing migration's name. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  // Name the schema explicitly: Kysely otherwise looks for its lock table in every schema, and a test running
  // in a sibling schema of the same database would make it think the table already exists here.
  const schema = (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(db)).rows[0]?.s ?? 'public';
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, migrationTableSchema: schema });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const err = result.error instanceof Error ? result.error : new Error(String(result.error));
    err.message = `migration ${failed?.migrationName ?? '?'} failed: ${err.message}`;
    throw err;
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
