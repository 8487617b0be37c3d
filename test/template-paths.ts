import path from 'node:path';

/** Where the PGlite test templates are cached between runs. */
export const TEMPLATE_DIR = path.resolve('.test-cache');

/** The template tarballs for one migrations hash. */
export function templatePaths(hash: string): { empty: string; seeded: string } {
  return { empty: path.join(TEMPLATE_DIR, `template-${hash}.tar.gz`), seeded: path.join(TEMPLATE_DIR, `seeded-${hash}.tar.gz`) };
}
