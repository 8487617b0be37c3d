import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import type { Database, Db } from '../db/index.js';

// Read queries for the list pages (home, /packages/, categories, latest, liked, profiles). One query per list.

/** One package line in a list. */
export interface PackageSummary {
  id: number;
  title: string;
  slug: string;
  description: string;
  categoryTitle: string;
  categorySlug: string;
  stars: number;
  forks: number;
  downloads: number;
  usageCount: number;
  favoriteCount: number;
  score: number;
  lastCommitDate: string | null;
  lastFetched: string | null;
  created: string;
  version: string | null;
  uploadTime: string | null;
}

type From = SelectQueryBuilder<Database, 'packages' | 'categories' | 'versions', object>;

function base(db: Db): From {
  return db
    .selectFrom('packages')
    .innerJoin('categories', 'categories.id', 'packages.category_id')
    .leftJoin('versions', 'versions.id', 'packages.latest_version_id') as unknown as From;
}

const SUMMARY_COLUMNS = [
  'packages.id',
  'packages.title',
  'packages.slug',
  'packages.repo_description',
  'categories.title as category_title',
  'categories.slug as category_slug',
  'packages.repo_watchers',
  'packages.repo_forks',
  'packages.pypi_downloads',
  'packages.usage_count',
  'packages.favorite_count',
  'packages.score',
  'packages.last_commit_date',
  'packages.last_fetched',
  'packages.created',
  'versions.number as version',
  'versions.upload_time',
] as const;

interface SummaryRow {
  id: number;
  title: string;
  slug: string;
  repo_description: string;
  category_title: string;
  category_slug: string;
  repo_watchers: number;
  repo_forks: number;
  pypi_downloads: number;
  usage_count: number;
  favorite_count: number;
  score: number;
  last_commit_date: string | null;
  last_fetched: string | null;
  created: string;
  version: string | null;
  upload_time: string | null;
}

function toSummary(r: SummaryRow): PackageSummary {
  return {
    id: r.id,
    title: r.title,
    slug: r.slug,
    description: r.repo_description,
    categoryTitle: r.category_title,
    categorySlug: r.category_slug,
    stars: r.repo_watchers,
    forks: r.repo_forks,
    downloads: r.pypi_downloads,
    usageCount: r.usage_count,
    favoriteCount: r.favorite_count,
    score: r.score,
    lastCommitDate: r.last_commit_date,
    lastFetched: r.last_fetched,
    created: r.created,
    version: r.version,
    uploadTime: r.upload_time,
  };
}

/** "Active" as the original means it: not archived, not deprecated, no replacement. */
export function activeFilter(eb: ExpressionBuilder<Database, 'packages'>) {
  return eb.and([
    eb('packages.date_repo_archived', 'is', null),
    eb('packages.date_deprecated', 'is', null),
    eb('packages.deprecated_by_id', 'is', null),
    eb('packages.deprecates_package_id', 'is', null),
  ]);
}

async function run(q: From): Promise<PackageSummary[]> {
  const rows = (await q.select(SUMMARY_COLUMNS).execute()) as SummaryRow[];
  return rows.map(toSummary);
}

/** The sort keys of /packages/ (the original's names) and the columns they order by. */
export const PACKAGE_SORTS = {
  stars: 'packages.repo_watchers',
  forks: 'packages.repo_forks',
  downloads: 'packages.pypi_downloads',
  last_fetched: 'packages.last_fetched',
  title: 'packages.title',
  category: 'categories.title',
  usage_count: 'packages.usage_count',
  score: 'packages.score',
} as const;

/** A sort key of /packages/. */
export type PackageSort = keyof typeof PACKAGE_SORTS;

/** Filters and order for a package list page. */
export interface PackageListQuery {
  q: string;
  categorySlug: string;
  sort: PackageSort;
  descending: boolean;
  limit: number;
  offset: number;
  activeOnly: boolean;
}

/** A page of packages plus the total count for the pager. */
export async function listPackages(db: Db, f: PackageListQuery): Promise<{ items: PackageSummary[]; total: number }> {
  let q = base(db);
  if (f.activeOnly) q = q.where((eb) => activeFilter(eb as unknown as ExpressionBuilder<Database, 'packages'>));
  if (f.categorySlug !== '') q = q.where('categories.slug', '=', f.categorySlug);
  if (f.q !== '') {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    q = q.where((eb) => eb.or([eb('packages.title', 'ilike', like), eb('packages.repo_description', 'ilike', like)]));
  }
  const col = PACKAGE_SORTS[f.sort];
  const dir = f.descending ? sql`desc nulls last` : sql`asc nulls last`;
  const [items, count] = await Promise.all([
    run(
      q
        .orderBy(sql`${sql.ref(col)} ${dir}`)
        .orderBy('packages.id')
        .limit(f.limit)
        .offset(f.offset),
    ),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

/** Latest added packages (newest first). */
export async function latestPackages(db: Db, limit: number, offset = 0): Promise<PackageSummary[]> {
  return run(base(db).orderBy('packages.created', 'desc').orderBy('packages.id', 'desc').limit(limit).offset(offset));
}

/** Packages with at least one favourite, most liked first. */
export async function likedPackages(db: Db, limit: number, offset = 0): Promise<PackageSummary[]> {
  return run(
    base(db)
      .where('packages.favorite_count', '>', 0)
      .orderBy('packages.favorite_count', 'desc')
      .orderBy('packages.repo_watchers', 'desc')
      .limit(limit)
      .offset(offset),
  );
}

/** Counts for the liked list's pager. */
export async function countLiked(db: Db): Promise<number> {
  const r = await db
    .selectFrom('packages')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('favorite_count', '>', 0)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** All packages count (the latest list's pager). */
export async function countAll(db: Db): Promise<number> {
  const r = await db
    .selectFrom('packages')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Latest releases: active packages with a description and a release, by upload time. */
export async function latestReleases(db: Db, limit: number): Promise<PackageSummary[]> {
  return run(
    base(db)
      .where((eb) => activeFilter(eb as unknown as ExpressionBuilder<Database, 'packages'>))
      .where('packages.repo_description', '<>', '')
      .where('versions.upload_time', 'is not', null)
      .orderBy('versions.upload_time', 'desc')
      .limit(limit),
  );
}

/** Packages whose participants include a host account (a profile's "contributed"). */
export async function packagesByParticipant(db: Db, account: string, limit: number): Promise<PackageSummary[]> {
  return run(
    base(db)
      .where(sql<boolean>`lower(${account}) = ANY (SELECT lower(x) FROM unnest(packages.participants) x)`)
      .orderBy('packages.repo_watchers', 'desc')
      .limit(limit),
  );
}

/** A user's favourite packages. */
export async function favouritePackages(db: Db, userId: number, limit: number): Promise<PackageSummary[]> {
  return run(
    base(db)
      .where('packages.id', 'in', db.selectFrom('favorites').select('package_id').where('user_id', '=', userId))
      .orderBy('packages.title')
      .limit(limit),
  );
}

/** Packages in a set of ids (in no particular order). */
export async function packagesByIds(db: Db, ids: readonly number[]): Promise<PackageSummary[]> {
  if (ids.length === 0) return [];
  return run(base(db).where('packages.id', 'in', [...ids]));
}

/** A category with its package count. */
export interface CategoryInfo {
  id: number;
  title: string;
  slug: string;
  titlePlural: string;
  description: string;
  packageCount: number;
}

/** Every category with its package count, largest first. */
export async function listCategories(db: Db): Promise<CategoryInfo[]> {
  const rows = await db
    .selectFrom('categories as c')
    .leftJoin('packages as p', 'p.category_id', 'c.id')
    .select(['c.id', 'c.title', 'c.slug', 'c.title_plural', 'c.description', (eb) => eb.fn.count<string>('p.id').as('n')])
    .groupBy('c.id')
    .orderBy('n', 'desc')
    .orderBy('c.title')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    slug: r.slug,
    titlePlural: r.title_plural,
    description: r.description,
    packageCount: Number(r.n),
  }));
}

/** A grid line for the home page and the grids list. */
export interface GridSummary {
  id: number;
  title: string;
  slug: string;
  description: string;
  packageCount: number;
  modified: string;
  header: boolean;
}

/** Grids filtered by title/description, with package counts. */
export async function listGrids(
  db: Db,
  f: { q: string; sort: 'title' | 'modified' | 'packages'; headerOnly: boolean; minPackages: number; limit: number; offset: number },
): Promise<{ items: GridSummary[]; total: number }> {
  const counts = db
    .selectFrom('grid_packages')
    .select(['grid_id', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('grid_id')
    .as('gc');
  let q = db
    .selectFrom('grids as g')
    .leftJoin(counts, 'gc.grid_id', 'g.id')
    .where(sql<boolean>`coalesce(gc.n, 0) >= ${f.minPackages}`);
  if (f.headerOnly) q = q.where('g.header', '=', true);
  if (f.q !== '') {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    q = q.where((eb) => eb.or([eb('g.title', 'ilike', like), eb('g.description', 'ilike', like)]));
  }
  const order =
    f.sort === 'title' ? sql`g.title asc` : f.sort === 'modified' ? sql`g.modified desc` : sql`coalesce(gc.n, 0) desc, g.title asc`;
  const [rows, total] = await Promise.all([
    q
      .select(['g.id', 'g.title', 'g.slug', 'g.description', 'g.modified', 'g.header', sql<string>`coalesce(gc.n, 0)`.as('n')])
      .orderBy(order)
      .orderBy('g.id')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      title: r.title,
      slug: r.slug,
      description: r.description,
      packageCount: Number(r.n),
      modified: r.modified,
      header: r.header,
    })),
    total: Number(total.n),
  };
}
