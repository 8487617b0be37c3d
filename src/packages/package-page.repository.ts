import { sql } from 'kysely';
import type { Db } from '../db/index.js';

// Read queries for the package page (web/). The page runs these in parallel; each is one round trip.

/** Everything the package page shows about the package itself. */
export interface PackagePageRow {
  id: number;
  title: string;
  slug: string;
  repo_description: string;
  repo_url: string;
  repo_host: string;
  repo_watchers: number;
  repo_forks: number;
  pypi_url: string;
  pypi_downloads: number;
  pypi_classifiers: string[] | null;
  pypi_license: string | null;
  pypi_requires_python: string | null;
  supports_python3: boolean | null;
  participants: string[];
  favorite_count: number;
  usage_count: number;
  last_fetched: string | null;
  fetch_requested_at: string | null;
  documentation_url: string | null;
  score: number;
  date_deprecated: string | null;
  date_repo_archived: string | null;
  deprecates_package_id: number | null;
  commit_count: number;
  commits_over_52: number[];
  last_commit_date: string | null;
  last_error: string | null;
  created: string;
  modified: string;
  category_id: number;
  category_title: string;
  category_slug: string;
  version_number: string | null;
  version_upload_time: string | null;
  version_license: string | null;
  development_status: number | null;
  replacement_slug: string | null;
  replacement_title: string | null;
  created_by_id: number | null;
}

/** The package with its category, latest version and replacement; undefined if no such slug. */
export async function findPackagePage(db: Db, slug: string): Promise<PackagePageRow | undefined> {
  return db
    .selectFrom('packages as p')
    .innerJoin('categories as c', 'c.id', 'p.category_id')
    .leftJoin('versions as v', 'v.id', 'p.latest_version_id')
    .leftJoin('packages as r', 'r.id', 'p.deprecates_package_id')
    .select([
      'p.id',
      'p.title',
      'p.slug',
      'p.repo_description',
      'p.repo_url',
      'p.repo_host',
      'p.repo_watchers',
      'p.repo_forks',
      'p.pypi_url',
      'p.pypi_downloads',
      'p.pypi_classifiers',
      'p.pypi_license',
      'p.pypi_requires_python',
      'p.supports_python3',
      'p.participants',
      'p.favorite_count',
      'p.usage_count',
      'p.last_fetched',
      'p.fetch_requested_at',
      'p.documentation_url',
      'p.score',
      'p.date_deprecated',
      'p.date_repo_archived',
      'p.deprecates_package_id',
      'p.commit_count',
      'p.commits_over_52',
      'p.last_commit_date',
      'p.last_error',
      'p.created',
      'p.modified',
      'p.category_id',
      'p.created_by_id',
      'c.title as category_title',
      'c.slug as category_slug',
      'v.number as version_number',
      'v.upload_time as version_upload_time',
      'v.license as version_license',
      'v.development_status',
      'r.slug as replacement_slug',
      'r.title as replacement_title',
    ])
    .where('p.slug', '=', slug)
    .executeTakeFirst();
}

/** One release line. */
export interface ReleaseRow {
  number: string;
  upload_time: string | null;
  license: string | null;
  development_status: number;
  supports_python3: boolean;
}

/** A page of a package's visible releases, newest first, plus the total. */
export async function listReleases(
  db: Db,
  packageId: number,
  limit: number,
  offset: number,
): Promise<{ rows: ReleaseRow[]; total: number }> {
  const q = db.selectFrom('versions').where('package_id', '=', packageId).where('hidden', '=', false);
  const [rows, total] = await Promise.all([
    q
      .select(['number', 'upload_time', 'license', 'development_status', 'supports_python3'])
      .orderBy(sql`upload_time desc nulls last`)
      .orderBy('id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** The grids a package is in. */
export async function gridsOfPackage(db: Db, packageId: number): Promise<{ id: number; title: string; slug: string }[]> {
  return db
    .selectFrom('grid_packages as gp')
    .innerJoin('grids as g', 'g.id', 'gp.grid_id')
    .select(['g.id', 'g.title', 'g.slug'])
    .where('gp.package_id', '=', packageId)
    .orderBy('g.title')
    .execute();
}

/** One "site using this package" (examples). */
export interface ExampleRow {
  id: number;
  title: string;
  url: string;
  active: boolean | null;
  created_by_id: number | null;
}

/** The examples the viewer may see: approved ones, plus their own pending ones. */
export async function examplesOfPackage(db: Db, packageId: number, viewerId: number | null): Promise<ExampleRow[]> {
  return db
    .selectFrom('package_examples')
    .select(['id', 'title', 'url', 'active', 'created_by_id'])
    .where('package_id', '=', packageId)
    .where((eb) => (viewerId === null ? eb('active', '=', true) : eb.or([eb('active', '=', true), eb('created_by_id', '=', viewerId)])))
    .orderBy('title')
    .execute();
}

/** Whether the viewer favourited, uses and flagged the package (one query). */
export async function viewerPackageState(
  db: Db,
  packageId: number,
  userId: number,
): Promise<{ favourite: boolean; uses: boolean; flagged: boolean }> {
  const r = await db
    .selectNoFrom((eb) => [
      eb.exists(eb.selectFrom('favorites').select('id').where('package_id', '=', packageId).where('user_id', '=', userId)).as('fav'),
      eb.exists(eb.selectFrom('usages').select('user_id').where('package_id', '=', packageId).where('user_id', '=', userId)).as('uses'),
      eb
        .exists(eb.selectFrom('flagged_packages').select('id').where('package_id', '=', packageId).where('user_id', '=', userId))
        .as('flag'),
    ])
    .executeTakeFirstOrThrow();
  return { favourite: Boolean(r.fav), uses: Boolean(r.uses), flagged: Boolean(r.flag) };
}

/** Open flags on a package (for staff moderation on the page). */
export async function flagsOfPackage(
  db: Db,
  packageId: number,
): Promise<{ id: number; reason: string; username: string; created: string; approved_flag: boolean }[]> {
  return db
    .selectFrom('flagged_packages as f')
    .innerJoin('users as u', 'u.id', 'f.user_id')
    .select(['f.id', 'f.reason', 'u.username', 'f.created', 'f.approved_flag'])
    .where('f.package_id', '=', packageId)
    .orderBy('f.id')
    .execute();
}
