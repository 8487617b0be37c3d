import type { Db } from '../../src/db/index.js';

const CELL_TEXTS = [
  'yes',
  'no',
  '+2',
  '--',
  'Partial, see https://example.org/docs',
  'Since 2.0\nwith caveats',
  'check',
  '',
  '<b>not bold</b>',
  'maybe',
];

/** Creates a grid of `packages` new packages by `features` features with every cell filled; returns its slug. */
export async function createBigGrid(
  db: Db,
  opts: { slug?: string; packages?: number; features?: number } = {},
): Promise<{ slug: string; gridId: number; packageIds: number[] }> {
  const slug = opts.slug ?? 'big-grid';
  const nPackages = opts.packages ?? 100;
  const nFeatures = opts.features ?? 30;
  return db.transaction().execute(async (trx) => {
    let cat = await trx.selectFrom('categories').select('id').orderBy('id').executeTakeFirst();
    if (!cat)
      cat = await trx
        .insertInto('categories')
        .values({ title: 'App', slug: 'apps', title_plural: 'Apps' })
        .returning('id')
        .executeTakeFirstOrThrow();
    const categoryId = cat.id;
    const pkgs = await trx
      .insertInto('packages')
      .values(
        Array.from({ length: nPackages }, (_, i) => ({
          title: `${slug} package ${String(i + 1).padStart(3, '0')}`,
          slug: `${slug}-pkg-${i + 1}`,
          category_id: categoryId,
          repo_description: `Package number ${i + 1} of the big grid, for comparing things.`,
          repo_url: `https://github.com/${slug}/pkg-${i + 1}`,
          repo_watchers: (i * 37) % 1000,
          repo_forks: (i * 13) % 200,
          pypi_url: `https://pypi.org/project/${slug}-pkg-${i + 1}/`,
          pypi_downloads: (i * 997) % 50000,
          score: ((i * 37) % 1000) - 50,
          supports_python3: i % 3 !== 0,
          participants: [`dev${i}`, `dev${i + 1}`],
          commits_over_52: Array.from({ length: 52 }, (_, w) => (w * (i + 3)) % 9),
          last_commit_date: `2026-0${(i % 9) + 1}-15T12:00:00.000000Z`,
        })),
      )
      .returning('id')
      .execute();
    const grid = await trx
      .insertInto('grids')
      .values({ title: `Big grid ${slug}`, slug, description: 'A generated grid.\n\nEvery package, every feature.' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const gps = await trx
      .insertInto('grid_packages')
      .values(pkgs.map((p) => ({ grid_id: grid.id, package_id: p.id })))
      .returning(['id'])
      .execute();
    const feats = await trx
      .insertInto('features')
      .values(
        Array.from({ length: nFeatures }, (_, i) => ({
          grid_id: grid.id,
          title: `Feature ${i + 1}`,
          description: `What feature ${i + 1} means`,
        })),
      )
      .returning('id')
      .execute();
    const cells = gps.flatMap((gp, i) =>
      feats.map((f, j) => ({ grid_package_id: gp.id, feature_id: f.id, text: CELL_TEXTS[(i + j) % CELL_TEXTS.length] ?? '' })),
    );
    for (let i = 0; i < cells.length; i += 1000)
      await trx
        .insertInto('elements')
        .values(cells.slice(i, i + 1000))
        .execute();
    return { slug, gridId: grid.id, packageIds: pkgs.map((p) => p.id) };
  });
}
