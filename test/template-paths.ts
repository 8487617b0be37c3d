import path from 'node:path';

/** Where the empty PGlite test template is cached between runs. */
export const TEMPLATE_DIR = path.resolve('.test-cache');

/** The zone the seeded test database was loaded in (djangopackages.org's). */
export const TEST_SEED_ZONE = 'America/New_York';

/** The migrated, empty template for one code version. */
export function emptyTemplatePath(hash: string): string {
  return path.join(TEMPLATE_DIR, `template-${hash}.tar.gz`);
}

/** Every PostgreSQL test schema of this run starts with this (one run's teardown never touches another's). */
export function testSchemaPrefix(): string {
  return `t_${process.env.PACKGRID_TEST_RUN ?? 'solo'}_`;
}
