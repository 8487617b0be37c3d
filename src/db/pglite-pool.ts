import type { PGlite } from '@electric-sql/pglite';

interface PoolClient {
  query(sql: string, params?: readonly unknown[]): Promise<{ rows: unknown[]; rowCount: number; command: string }>;
  release(): void;
}

/**
 * A pg-Pool look-alike over one PGlite session, for Kysely's PostgresDialect. PGlite has a single backend,
 * so connections are handed out one at a time (FIFO); a transaction holds the only connection until it ends.
 */
export function pglitePool(db: PGlite): { connect(): Promise<PoolClient>; end(): Promise<void> } {
  let tail: Promise<void> = Promise.resolve();
  async function query(sql: string, params: readonly unknown[] = []) {
    const r = await db.query(sql, params as unknown[]);
    const command = (sql.trimStart().split(/\s/, 1)[0] ?? '').toUpperCase();
    return { rows: r.rows as unknown[], rowCount: r.affectedRows ?? r.rows.length, command };
  }
  return {
    async connect() {
      let release: () => void = () => undefined;
      const prev = tail;
      tail = new Promise<void>((resolve) => {
        release = resolve;
      });
      await prev;
      return { query, release };
    },
    async end() {
      await db.close();
    },
  };
}
