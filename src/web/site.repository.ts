import { sql } from 'kysely';
import type { Db } from '../db/index.js';

// Read queries for the site-wide pages: feeds, sitemap, readiness, open statistics, profiles.

/** The newest packages for the feeds (all packages, as the original: inactive ones included). */
export async function feedPackages(
  db: Db,
  limit: number,
): Promise<{ title: string; slug: string; repo_description: string; created: string }[]> {
  return db
    .selectFrom('packages')
    .select(['title', 'slug', 'repo_description', 'created'])
    .orderBy('created', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Slugs and modification times for the sitemap (active packages and grids with packages). */
export async function sitemapEntries(
  db: Db,
): Promise<{ packages: { slug: string; modified: string }[]; grids: { slug: string; modified: string }[] }> {
  const [packages, grids] = await Promise.all([
    db
      .selectFrom('packages')
      .select(['slug', 'modified'])
      .where('date_repo_archived', 'is', null)
      .where('date_deprecated', 'is', null)
      .where('deprecates_package_id', 'is', null)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('grids')
      .select(['slug', 'modified'])
      .where((eb) => eb.exists(eb.selectFrom('grid_packages').select('id').whereRef('grid_packages.grid_id', '=', 'grids.id')))
      .orderBy('id')
      .execute(),
  ]);
  return { packages, grids };
}

/** Top packages (by stars, then downloads) carrying a base classifier, with their classifiers, for readiness. */
export async function readinessCandidates(
  db: Db,
  baseClassifiers: readonly string[],
  limit: number,
): Promise<{ title: string; slug: string; pypi_classifiers: string[] | null }[]> {
  return db
    .selectFrom('packages')
    .select(['title', 'slug', 'pypi_classifiers'])
    .where(sql<boolean>`pypi_classifiers @> ${sql.val([...baseClassifiers])}::text[]`)
    .where('slug', '<>', 'django')
    .orderBy('repo_watchers', 'desc')
    .orderBy('pypi_downloads', 'desc')
    .limit(limit)
    .execute();
}

/** The numbers of the /open/ statistics page. */
export interface OpenStats {
  total: number;
  archived: number;
  deprecated: number;
  pypiPackages: number;
  downloads: number;
  byHost: { host: string; n: number }[];
  byCategory: { title: string; n: number }[];
  classifiers: { classifier: string; n: number }[];
  topGrids: { title: string; slug: string; n: number }[];
  users: number;
}

/** Computes the open statistics (a handful of aggregate queries). */
export async function openStats(db: Db, classifiers: readonly string[]): Promise<OpenStats> {
  const [totals, hosts, cats, cls, grids, users] = await Promise.all([
    db
      .selectFrom('packages')
      .select([
        sql<string>`count(*)`.as('total'),
        sql<string>`count(*) filter (where date_repo_archived is not null)`.as('archived'),
        sql<string>`count(*) filter (where date_deprecated is not null or deprecates_package_id is not null)`.as('deprecated'),
        sql<string>`count(*) filter (where pypi_url <> '')`.as('pypi'),
        sql<string>`coalesce(sum(pypi_downloads), 0)`.as('downloads'),
      ])
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('packages')
      .select([
        sql<string>`coalesce(nullif(repo_host, ''), substring(repo_url from '^https?://([^/]+)'), 'none')`.as('host'),
        sql<string>`count(*)`.as('n'),
      ])
      .groupBy(sql`1`)
      .orderBy(sql`2 desc`)
      .execute(),
    db
      .selectFrom('categories as c')
      .leftJoin('packages as p', 'p.category_id', 'c.id')
      .select(['c.title', sql<string>`count(p.id)`.as('n')])
      .groupBy('c.id')
      .orderBy(sql`2 desc`)
      .execute(),
    db
      .selectFrom(sql`unnest(${sql.val([...classifiers])}::text[])`.as('k'))
      .select([
        sql<string>`k`.as('classifier'),
        sql<string>`(select count(*) from packages where pypi_classifiers @> array[k]::text[])`.as('n'),
      ])
      .execute(),
    db
      .selectFrom('grids as g')
      .innerJoin('grid_packages as gp', 'gp.grid_id', 'g.id')
      .select(['g.title', 'g.slug', sql<string>`count(*)`.as('n')])
      .groupBy('g.id')
      .having(sql`count(*)`, '>=', 25)
      .orderBy(sql`3 desc`)
      .limit(20)
      .execute(),
    db
      .selectFrom('users')
      .select(sql<string>`count(*)`.as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(totals.total),
    archived: Number(totals.archived),
    deprecated: Number(totals.deprecated),
    pypiPackages: Number(totals.pypi),
    downloads: Number(totals.downloads),
    byHost: hosts.map((h) => ({ host: h.host, n: Number(h.n) })),
    byCategory: cats.map((c) => ({ title: c.title, n: Number(c.n) })),
    classifiers: cls.map((c) => ({ classifier: c.classifier, n: Number(c.n) })),
    topGrids: grids.map((g) => ({ title: g.title, slug: g.slug, n: Number(g.n) })),
    users: Number(users.n),
  };
}

/** A public profile. */
export interface ProfileRow {
  id: number;
  username: string;
  github_account: string;
  bitbucket_url: string;
  gitlab_url: string;
  share_favorites: boolean;
  date_joined: string;
}

/** A profile by GitHub account (falling back to username). */
export async function findProfile(db: Db, account: string): Promise<ProfileRow | undefined> {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'github_account', 'bitbucket_url', 'gitlab_url', 'share_favorites', 'date_joined'])
    .where((eb) => eb.or([eb('github_account', '=', account), eb.and([eb('github_account', '=', ''), eb('username', '=', account)])]))
    .where('is_active', '=', true)
    .orderBy('id')
    .executeTakeFirst();
}

/** A profile's extra links. */
export async function profileLinks(db: Db, userId: number): Promise<{ id: number; label: string; url: string }[]> {
  return db.selectFrom('profile_extra_fields').select(['id', 'label', 'url']).where('user_id', '=', userId).orderBy('id').execute();
}
