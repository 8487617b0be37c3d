import { sql } from 'kysely';
import type { Db } from '../db/index.js';

// Read queries for the grid comparison page (web/): three round trips whatever the grid's size —
// packages with their metrics, features, cells (run in parallel by the page).

/** The grid itself. */
export interface GridPageGrid {
  id: number;
  title: string;
  slug: string;
  description: string;
  is_locked: boolean;
  header: boolean;
  modified: string;
}

/** A grid by slug. */
export async function findGridPage(db: Db, slug: string): Promise<GridPageGrid | undefined> {
  return db
    .selectFrom('grids')
    .select(['id', 'title', 'slug', 'description', 'is_locked', 'header', 'modified'])
    .where('slug', '=', slug)
    .executeTakeFirst();
}

/** One package column of the grid with every metric row's value. */
export interface GridPackageColumn {
  grid_package_id: number;
  id: number;
  title: string;
  slug: string;
  repo_description: string;
  repo_url: string;
  pypi_url: string;
  documentation_url: string | null;
  category_title: string;
  usage_count: number;
  supports_python3: boolean | null;
  repo_watchers: number;
  repo_forks: number;
  pypi_downloads: number;
  commits_over_52: number[];
  last_commit_date: string | null;
  score: number;
  pypi_license: string | null;
  modified: string;
  version_number: string | null;
  version_license: string | null;
  development_status: number | null;
  date_deprecated: string | null;
  date_repo_archived: string | null;
}

/** Every package of a grid with its metrics, in one query. */
export async function gridPackageColumns(db: Db, gridId: number): Promise<GridPackageColumn[]> {
  const rows = await db
    .selectFrom('grid_packages as gp')
    .innerJoin('packages as p', 'p.id', 'gp.package_id')
    .innerJoin('categories as c', 'c.id', 'p.category_id')
    .leftJoin('versions as v', 'v.id', 'p.latest_version_id')
    .select([
      'gp.id as grid_package_id',
      'p.id',
      'p.title',
      'p.slug',
      'p.repo_description',
      'p.repo_url',
      'p.pypi_url',
      'p.documentation_url',
      'c.title as category_title',
      'p.usage_count',
      'p.supports_python3',
      'p.repo_watchers',
      'p.repo_forks',
      'p.pypi_downloads',
      sql<string>`array_to_string(p.commits_over_52, ',')`.as('commits_csv'),
      'p.last_commit_date',
      'p.score',
      'p.pypi_license',
      'p.modified',
      'p.date_deprecated',
      'p.date_repo_archived',
      'v.number as version_number',
      'v.license as version_license',
      'v.development_status',
    ])
    .where('gp.grid_id', '=', gridId)
    .orderBy('p.score', 'desc')
    .orderBy('p.id')
    .execute();
  // The 52 weekly counts come as one comma-separated string: the driver's integer-array parser cost more than the
  // rest of the row mapping on a 100-package grid.
  return rows.map(({ commits_csv, ...r }) => ({ ...r, commits_over_52: commits_csv ? commits_csv.split(',').map(Number) : [] }));
}

/** A feature row. */
export interface GridFeatureRow {
  id: number;
  title: string;
  description: string;
}

/** A grid's features in creation order. */
export async function gridFeatures(db: Db, gridId: number): Promise<GridFeatureRow[]> {
  return db.selectFrom('features').select(['id', 'title', 'description']).where('grid_id', '=', gridId).orderBy('id').execute();
}

/** One cell: [grid_package_id, feature_id, text]. */
export type GridCellTuple = [gridPackageId: number, featureId: number, text: string];

/**
 * Every cell of a grid, in one query returning one JSON value: thousands of three-column rows cost more to decode
 * row by row in the driver than one JSON.parse of the same data.
 */
export async function gridElements(db: Db, gridId: number): Promise<GridCellTuple[]> {
  const r = await db
    .selectFrom('elements as e')
    .innerJoin('grid_packages as gp', 'gp.id', 'e.grid_package_id')
    .select(sql<GridCellTuple[] | null>`json_agg(json_build_array(e.grid_package_id, e.feature_id, e.text))`.as('cells'))
    .where('gp.grid_id', '=', gridId)
    .executeTakeFirst();
  return r?.cells ?? [];
}

/** One cell, for the in-place editor. */
export async function findElement(db: Db, gridPackageId: number, featureId: number): Promise<string | undefined> {
  const r = await db
    .selectFrom('elements')
    .select('text')
    .where('grid_package_id', '=', gridPackageId)
    .where('feature_id', '=', featureId)
    .executeTakeFirst();
  return r?.text;
}

/** A grid by id. */
export async function findGridPageById(db: Db, id: number): Promise<GridPageGrid | undefined> {
  return db
    .selectFrom('grids')
    .select(['id', 'title', 'slug', 'description', 'is_locked', 'header', 'modified'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * The grid plus a fingerprint of everything its page shows that can change without touching the grid row
 * (package metrics, scores, usage counts, membership); the page cache keys on it. One cheap query.
 */
export async function findGridPageVersion(db: Db, slug: string): Promise<{ grid: GridPageGrid; version: string } | undefined> {
  const r = await db
    .selectFrom('grids as g')
    .select(['g.id', 'g.title', 'g.slug', 'g.description', 'g.is_locked', 'g.header', 'g.modified'])
    .select((eb) =>
      eb
        .selectFrom('grid_packages as gp')
        .innerJoin('packages as p', 'p.id', 'gp.package_id')
        .select(
          sql<string>`md5(string_agg(p.id || ':' || p.modified || ':' || coalesce(p.last_fetched::text, '') || ':' || p.score || ':' || p.usage_count, ',' ORDER BY p.id))`.as(
            'v',
          ),
        )
        .whereRef('gp.grid_id', '=', 'g.id')
        .as('packages_version'),
    )
    .where('g.slug', '=', slug)
    .executeTakeFirst();
  if (!r) return undefined;
  const { packages_version, ...grid } = r;
  return { grid, version: `${grid.modified}|${packages_version ?? ''}` };
}
