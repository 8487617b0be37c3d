import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import path from 'node:path';
import { acquireDataDirLock } from './lock.js';
import { pglitePool } from './pglite-pool.js';
import type { Database } from './schema.js';

export type { Database } from './schema.js';
export type Db = Kysely<Database>;

/** An open database: the Kysely handle plus what the job queue and shutdown need. */
export interface DatabaseHandle {
  readonly db: Db;
  readonly kind: 'pglite' | 'pg';
  /** The embedded engine, when kind is 'pglite'. */
  readonly pglite: PGlite | undefined;
  /** Connection settings for a real PostgreSQL (LISTEN/NOTIFY clients, worker processes). */
  readonly pgConfig: pg.PoolConfig | undefined;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** Folder for the embedded database; absent with no databaseUrl means in memory. */
  dataDir?: string | undefined;
  /** A PGlite data-dir tarball to start from (tests copy a migrated template this way). */
  loadDataDir?: Blob | undefined;
  /** PostgreSQL only: a schema to work in (tests isolate themselves this way). */
  schema?: string | undefined;
  poolSize?: number | undefined;
}

/**
 * Every session's settings. The trigram thresholds are src/search's: whole names must look at least 0.4 alike (the
 * default 0.3 hands thousands of long names to the index recheck, and 0.6 misses "celry" for "celery"), and a word
 * of the index's vocabulary 0.3 alike to be a spelling candidate (a swap of two letters leaves few trigrams in
 * common; the edit distance decides among the candidates). Set per session, so search needs no transaction for them.
 */
const SESSION_SETTINGS: readonly (readonly [string, string])[] = [
  ['TimeZone', 'UTC'],
  ['pg_trgm.similarity_threshold', '0.4'],
  ['pg_trgm.strict_word_similarity_threshold', '0.3'],
];

// Timestamps, dates and intervals stay strings: JavaScript Date would drop the microseconds.
const TEXT_OIDS = [1082, 1083, 1114, 1184, 1186, 1266];
const identity = (v: string): string => v;

function pgTypes(): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: string) => {
      if (TEXT_OIDS.includes(oid)) return identity;
      if (oid === 20) return (v: string) => Number(v);
      return pg.types.getTypeParser(oid, (format ?? 'text') as 'text');
    }) as pg.CustomTypesConfig['getTypeParser'],
  };
}

/** Opens PGlite (embedded) or PostgreSQL (DATABASE_URL), both with sessions in UTC. */
export async function openDatabase(opts: OpenOptions): Promise<DatabaseHandle> {
  if (opts.databaseUrl) {
    const options = SESSION_SETTINGS.map(([k, v]) => `-c ${k}=${v}`);
    if (opts.schema) options.push(`-c search_path=${opts.schema},public`);
    const pgConfig: pg.PoolConfig = {
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      options: options.join(' '),
      types: pgTypes(),
    };
    const pool = new pg.Pool(pgConfig);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'pg', pglite: undefined, pgConfig, close: () => db.destroy() };
  }

  let release: (() => void) | undefined;
  let dataDir: string | undefined;
  if (opts.dataDir) {
    dataDir = path.join(opts.dataDir, 'db');
    release = acquireDataDirLock(opts.dataDir);
  }
  const parsers: Record<number, (v: string) => unknown> = { 20: (v: string) => Number(v) };
  for (const oid of TEXT_OIDS) parsers[oid] = identity;
  let engine: PGlite;
  try {
    engine = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
      extensions: { pg_trgm },
      parsers,
    });
    await engine.exec(`${SESSION_SETTINGS.map(([k, v]) => `SET ${k} = '${v}';`).join(' ')} SET DateStyle = 'ISO, MDY'`);
  } catch (e) {
    release?.();
    throw e;
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pglitePool(engine) as unknown as pg.Pool }) });
  return {
    db,
    kind: 'pglite',
    pglite: engine,
    pgConfig: undefined,
    async close() {
      try {
        await db.destroy();
      } finally {
        if (!engine.closed) await engine.close().catch(() => undefined);
        release?.();
      }
    },
  };
}
