import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../db/index.js';
import type { PackageRecordRow } from './package-record.js';

type Q = Db | Transaction<Database>;

function recordQuery(db: Q) {
  return db
    .selectFrom('packages as p')
    .leftJoin('versions as v', 'v.id', 'p.latest_version_id')
    .select([
      'p.id',
      'p.category_id',
      'p.title',
      'p.slug',
      'p.last_commit_date',
      'p.last_fetched',
      'p.repo_url',
      'v.number as pypi_version',
      'p.created',
      'p.modified',
      'p.repo_forks',
      'p.repo_description',
      'p.pypi_url',
      'p.documentation_url',
      'p.repo_watchers',
      'p.commits_over_52',
      'p.participants',
      sql<number[]>`coalesce((select array_agg(gp.grid_id order by gp.id) from grid_packages gp where gp.package_id = p.id), '{}')`.as(
        'grid_ids',
      ),
    ]);
}

/** Record rows for the v4 serializer, newest id first, one page. */
export async function listRecordRows(db: Q, limit: number, offset: number): Promise<PackageRecordRow[]> {
  return recordQuery(db).orderBy('p.id', 'desc').limit(limit).offset(offset).execute();
}

/** Every record row in id order, in batches (for export). */
export async function* iterateRecordRows(db: Q, batch = 500): AsyncGenerator<PackageRecordRow[]> {
  let after = -1;
  for (;;) {
    const rows = await recordQuery(db).where('p.id', '>', after).orderBy('p.id', 'asc').limit(batch).execute();
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]?.id ?? after;
  }
}

/** One record row by id or slug. */
export async function findRecordRow(db: Q, key: { id: number } | { slug: string }): Promise<PackageRecordRow | undefined> {
  const q = recordQuery(db);
  return ('id' in key ? q.where('p.id', '=', key.id) : q.where('p.slug', '=', key.slug)).executeTakeFirst();
}

/** How many packages exist. */
export async function countPackages(db: Q): Promise<number> {
  const r = await db
    .selectFrom('packages')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return r.n;
}
