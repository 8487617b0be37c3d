// All SQL of the refresh: claiming due packages under a lease, and writing what the fetchers brought back.
// Every function takes `db` or a transaction first; timestamps are passed in as exact strings (tests pin `now`).
import { sql, type Transaction, type UpdateObject } from 'kysely';
import type { Database, Db } from '../db/index.js';

type Q = Db | Transaction<Database>;

/** A SET clause for packages (values or SQL expressions). */
export type PackageSet = UpdateObject<Database, 'packages'>;

/** The columns the refresh reads for a claimed package. */
export interface ClaimedRow {
  id: number;
  slug: string;
  repo_url: string;
  repo_host: string;
  pypi_url: string;
  fetch_state: Record<string, unknown> | null;
  fetch_requested_at: string | null;
  repo_missing_count: number;
  repo_missing_since: string | null;
  error_count: number;
  documentation_url: string | null;
}

/** Which packages a claim may take. */
export type ClaimFilter =
  /** Packages someone asked to refresh (new, edited, "Fetch latest data", webhook). */
  | { kind: 'requested' }
  /** Packages older than `staleBefore`, or whose retry time has come. */
  | { kind: 'stale'; staleBefore: string }
  /** Exactly these packages (the CLI's pre-selected list), whatever their age. */
  | { kind: 'ids'; ids: readonly number[] };

const ACTIVE = sql`p.date_deprecated IS NULL AND (p.repo_url <> '' OR p.pypi_url <> '')`;

function filterSql(filter: ClaimFilter, now: string) {
  switch (filter.kind) {
    case 'requested':
      return sql`p.fetch_requested_at IS NOT NULL`;
    case 'stale':
      return sql`(p.fetch_retry_at IS NULL OR p.fetch_retry_at <= ${now}::timestamptz)
        AND (p.fetch_retry_at IS NOT NULL OR p.last_fetched IS NULL OR p.last_fetched < ${filter.staleBefore}::timestamptz)`;
    case 'ids':
      return filter.ids.length === 0 ? sql`false` : sql`p.id IN (${sql.join(filter.ids.map((id) => sql`${id}::int`))})`;
  }
}

/**
 * Claims up to `limit` packages: sets a lease on rows nobody else holds (FOR UPDATE SKIP LOCKED skips rows another
 * worker is claiming right now; the lease check skips rows another worker is still fetching). Oldest first.
 */
export async function claimPackages(db: Q, filter: ClaimFilter, limit: number, now: string, leaseSeconds: number): Promise<ClaimedRow[]> {
  if (limit <= 0) return [];
  const result = await sql<ClaimedRow>`
    UPDATE packages SET fetch_claimed_until = ${now}::timestamptz + make_interval(secs => ${leaseSeconds}::int)
    WHERE id IN (
      SELECT p.id FROM packages p
      WHERE ${ACTIVE}
        AND (p.fetch_claimed_until IS NULL OR p.fetch_claimed_until <= ${now}::timestamptz)
        AND ${filterSql(filter, now)}
      ORDER BY p.fetch_requested_at NULLS LAST, p.last_fetched NULLS FIRST, p.id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id, slug, repo_url, repo_host, pypi_url, fetch_state, fetch_requested_at, repo_missing_count,
      repo_missing_since, error_count, documentation_url`.execute(db);
  return result.rows;
}

/** Active packages that have something to fetch (the denominator of the even spread). */
export async function countActive(db: Q): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM packages p WHERE ${ACTIVE}`.execute(db);
  return r.rows[0]?.n ?? 0;
}

/** Ids of active packages for a foreground run, oldest first: by slug, by age, or all. */
export async function selectCandidateIds(
  db: Q,
  opts: { slug?: string | undefined; staleBefore?: string | undefined; staleHours?: number | undefined; limit?: number | undefined },
): Promise<number[]> {
  let q = db
    .selectFrom('packages as p')
    .select('p.id')
    .where('p.date_deprecated', 'is', null)
    .where((eb) => eb.or([eb('p.repo_url', '<>', ''), eb('p.pypi_url', '<>', '')]))
    .orderBy(sql`p.last_fetched NULLS FIRST`)
    .orderBy('p.id');
  if (opts.slug !== undefined) q = q.where('p.slug', '=', opts.slug);
  if (opts.staleBefore !== undefined) {
    const before = opts.staleBefore;
    q = q.where((eb) => eb.or([eb('p.last_fetched', 'is', null), eb('p.last_fetched', '<', before)]));
    // A stale-only run respects the backoff of failed packages, as the worker does.
    q = q.where(
      sql<boolean>`p.fetch_retry_at IS NULL OR p.fetch_retry_at <= ${before}::timestamptz + make_interval(hours => ${opts.staleHours ?? 0}::int)`,
    );
  }
  if (opts.limit !== undefined) q = q.limit(opts.limit);
  return (await q.execute()).map((r) => r.id);
}

/** True when a package other than `exceptId` already uses this repo_url (compared case-insensitively). */
export async function repoUrlTaken(db: Q, repoUrl: string, exceptId: number): Promise<boolean> {
  const r = await db
    .selectFrom('packages')
    .select('id')
    .where(sql`lower(repo_url)`, '=', repoUrl.toLowerCase())
    .where('id', '<>', exceptId)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

/** Active package ids whose repo_url, normalised to lowercase without a trailing slash or .git, equals `normalized`. */
export async function packageIdsByRepoUrl(db: Q, normalized: string): Promise<number[]> {
  const rows = await db
    .selectFrom('packages')
    .select('id')
    .where(sql`regexp_replace(lower(trim(repo_url)), '(\\.git)?/*$', '')`, '=', normalized)
    .where('date_deprecated', 'is', null)
    .execute();
  return rows.map((r) => r.id);
}

/** Updates one package row; the set clause is built by the service. */
export async function updatePackage(db: Q, id: number, set: PackageSet): Promise<void> {
  await db.updateTable('packages').set(set).where('id', '=', id).execute();
}

/** Clears the refresh request if it is still the one the claim saw (a newer request made meanwhile survives). */
export async function clearRequest(db: Q, id: number, seen: string | null): Promise<void> {
  if (seen === null) return;
  await sql`UPDATE packages SET fetch_requested_at = NULL WHERE id = ${id} AND fetch_requested_at <= ${seen}::timestamptz`.execute(db);
}

/** Drops a lease without writing anything (e.g. the run is stopping). */
export async function releaseClaims(db: Q, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('packages')
    .set({ fetch_claimed_until: null })
    .where('id', 'in', [...ids])
    .execute();
}

/** One release to store. */
export interface VersionRow {
  number: string;
  upload_time: string | null;
  hidden: boolean;
}

/** Inserts or updates every release of a package; returns number → id. */
export async function upsertVersions(db: Q, packageId: number, rows: readonly VersionRow[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  // Chunked so a project with thousands of releases stays under the bind-parameter limit.
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const res = await db
      .insertInto('versions')
      .values(chunk.map((r) => ({ package_id: packageId, number: r.number, upload_time: r.upload_time, hidden: r.hidden })))
      .onConflict((oc) =>
        oc.columns(['package_id', 'number']).doUpdateSet((eb) => ({
          upload_time: sql<string | null>`coalesce(${eb.ref('excluded.upload_time')}, versions.upload_time)`,
          hidden: eb.ref('excluded.hidden'),
        })),
      )
      .returning(['id', 'number'])
      .execute();
    for (const r of res) out.set(r.number, r.id);
  }
  return out;
}

/** Sets the licence, status and Python 3 fields of the current version (PyPI reports them for it only). */
export async function updateVersionDetails(
  db: Q,
  id: number,
  set: { license: string; licenses: string[]; development_status: number; supports_python3: boolean },
): Promise<void> {
  await db
    .updateTable('versions')
    .set({ ...set, modified: sql<string>`now()` })
    .where('id', '=', id)
    .execute();
}

/** Writes today's trend row from the package's current values (score included, so call after the score). */
export async function upsertSnapshot(db: Q, packageId: number, day: string): Promise<void> {
  await sql`
    INSERT INTO package_snapshots (package_id, day, stars, forks, commits, downloads, score)
    SELECT id, ${day}::date, repo_watchers, repo_forks, commit_count, pypi_downloads, score FROM packages WHERE id = ${packageId}
    ON CONFLICT (package_id, day) DO UPDATE SET stars = excluded.stars, forks = excluded.forks,
      commits = excluded.commits, downloads = excluded.downloads, score = excluded.score`.execute(db);
}
