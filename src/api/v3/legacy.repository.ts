import { sql } from 'kysely';
import type { Db } from '../../db/index.js';

// API v3 reads joins across packages, grids, categories and users that no domain service exposes; they are kept
// here, together, because v3 is frozen legacy and nothing else should grow to depend on its shapes.

/** A package with what the v3 resource needs. */
export interface LegacyPackageRow {
  slug: string;
  title: string;
  created: string;
  modified: string;
  category_slug: string;
  commits_over_52: number[];
  created_by: string | null;
  last_modified_by: string | null;
  documentation_url: string | null;
  grid_slugs: string[];
  last_fetched: string | null;
  participants: string[];
  pypi_url: string;
  pypi_version: string | null;
  repo_description: string;
  repo_forks: number;
  repo_url: string;
  repo_watchers: number;
  usage_count: number;
}

function packageQuery(db: Db) {
  return db
    .selectFrom('packages as p')
    .innerJoin('categories as c', 'c.id', 'p.category_id')
    .leftJoin('versions as v', 'v.id', 'p.latest_version_id')
    .leftJoin('users as cu', 'cu.id', 'p.created_by_id')
    .leftJoin('users as mu', 'mu.id', 'p.last_modified_by_id')
    .select([
      'p.slug',
      'p.title',
      'p.created',
      'p.modified',
      'c.slug as category_slug',
      'p.commits_over_52',
      sql<string | null>`nullif(coalesce(nullif(cu.github_account, ''), cu.username), '')`.as('created_by'),
      sql<string | null>`nullif(coalesce(nullif(mu.github_account, ''), mu.username), '')`.as('last_modified_by'),
      'p.documentation_url',
      sql<
        string[]
      >`coalesce((select array_agg(g.slug order by gp.id) from grid_packages gp join grids g on g.id = gp.grid_id where gp.package_id = p.id), '{}')`.as(
        'grid_slugs',
      ),
      'p.last_fetched',
      'p.participants',
      'p.pypi_url',
      'v.number as pypi_version',
      'p.repo_description',
      'p.repo_forks',
      'p.repo_url',
      'p.repo_watchers',
      'p.usage_count',
    ]);
}

/** A page of packages (id order, as the original's default queryset), optionally in one category. */
export async function legacyPackages(
  db: Db,
  categoryId: number | null,
  limit: number,
  offset: number,
): Promise<{ count: number; rows: LegacyPackageRow[] }> {
  let q = packageQuery(db);
  let c = db.selectFrom('packages').select(sql<number>`count(*)::int`.as('n'));
  if (categoryId !== null) {
    q = q.where('p.category_id', '=', categoryId);
    c = c.where('category_id', '=', categoryId);
  }
  const [rows, count] = await Promise.all([q.orderBy('p.id').limit(limit).offset(offset).execute(), c.executeTakeFirstOrThrow()]);
  return { count: count.n, rows };
}

/** One package by slug. */
export async function legacyPackage(db: Db, slug: string): Promise<LegacyPackageRow | undefined> {
  return packageQuery(db).where('p.slug', '=', slug).executeTakeFirst();
}

/** A grid with its package slugs. */
export interface LegacyGridRow {
  id: number;
  slug: string;
  title: string;
  created: string;
  modified: string;
  description: string;
  is_locked: boolean;
  header: boolean;
  package_slugs: string[];
}

function gridQuery(db: Db) {
  return db
    .selectFrom('grids as g')
    .select([
      'g.id',
      'g.slug',
      'g.title',
      'g.created',
      'g.modified',
      'g.description',
      'g.is_locked',
      'g.header',
      sql<
        string[]
      >`coalesce((select array_agg(p.slug order by p.title) from grid_packages gp join packages p on p.id = gp.package_id where gp.grid_id = g.id), '{}')`.as(
        'package_slugs',
      ),
    ]);
}

/** A page of grids (title order, Grid.Meta.ordering). */
export async function legacyGrids(db: Db, limit: number, offset: number): Promise<{ count: number; rows: LegacyGridRow[] }> {
  const [rows, count] = await Promise.all([
    gridQuery(db).orderBy('g.title').limit(limit).offset(offset).execute(),
    db
      .selectFrom('grids')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { count: count.n, rows };
}

/** One grid by slug. */
export async function legacyGrid(db: Db, slug: string): Promise<LegacyGridRow | undefined> {
  return gridQuery(db).where('g.slug', '=', slug).executeTakeFirst();
}

/** A grid's packages, one page. */
export async function legacyGridPackages(
  db: Db,
  gridId: number,
  limit: number,
  offset: number,
): Promise<{ count: number; rows: LegacyPackageRow[] }> {
  const inGrid = sql<boolean>`exists (select 1 from grid_packages gp where gp.package_id = p.id and gp.grid_id = ${gridId})`;
  const [rows, count] = await Promise.all([
    packageQuery(db).where(inGrid).orderBy('p.title').limit(limit).offset(offset).execute(),
    db
      .selectFrom('grid_packages')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('grid_id', '=', gridId)
      .executeTakeFirstOrThrow(),
  ]);
  return { count: count.n, rows };
}

/** A user (the original's Profile joined to its User) as the v3 user resource needs it. */
export interface LegacyUserRow {
  id: number;
  username: string;
  github_account: string;
  created: string;
  modified: string;
  date_joined: string;
  last_login: string | null;
  bitbucket_url: string;
  gitlab_url: string;
}

function userQuery(db: Db) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'github_account', 'created', 'modified', 'date_joined', 'last_login', 'bitbucket_url', 'gitlab_url']);
}

/** A page of users (id order, Profile.objects.all()). */
export async function legacyUsers(db: Db, limit: number, offset: number): Promise<{ count: number; rows: LegacyUserRow[] }> {
  const [rows, count] = await Promise.all([
    userQuery(db).orderBy('id').limit(limit).offset(offset).execute(),
    db
      .selectFrom('users')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { count: count.n, rows };
}

/**
 * One user by github_account; a user without one is found by username, because that is the key the v3
 * package resource's `created_by` path falls back to.
 */
export async function legacyUser(db: Db, key: string): Promise<LegacyUserRow | undefined> {
  return userQuery(db)
    .where((eb) => eb.or([eb('github_account', '=', key), eb.and([eb('github_account', '=', ''), eb('username', '=', key)])]))
    .orderBy(sql`github_account = ${key}`, 'desc')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Slugs of the packages each user created or contributes to (their github_account among the participants,
 * compared case-insensitively as GitHub logins are), by title as the original's Profile.my_packages() sorts them.
 */
export async function legacyUserPackageSlugs(db: Db, userIds: readonly number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return out;
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('packages as p', (join) =>
      join.on((eb) =>
        eb.or([
          eb('p.created_by_id', '=', eb.ref('u.id')),
          sql<boolean>`(u.github_account <> '' and exists (select 1 from unnest(p.participants) x where lower(x) = lower(u.github_account)))`,
        ]),
      ),
    )
    .select(['u.id', 'p.slug'])
    .where('u.id', 'in', [...userIds])
    .orderBy('u.id')
    .orderBy('p.title')
    .orderBy('p.id')
    .execute();
  for (const r of rows) out.get(r.id)?.push(r.slug);
  return out;
}
