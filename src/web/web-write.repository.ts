import type { Db } from '../db/index.js';

/** The package already listed under a normalised repository URL (add-package step 1). */
export async function findPackageByRepoUrl(db: Db, repoUrl: string): Promise<{ id: number; title: string; slug: string } | undefined> {
  return db.selectFrom('packages').select(['id', 'title', 'slug']).where('repo_url', '=', repoUrl).executeTakeFirst();
}

/** An example's editable fields and its package (the example form). */
export async function findExampleFields(db: Db, id: number): Promise<{ title: string; url: string; package_id: number } | undefined> {
  return db.selectFrom('package_examples').select(['title', 'url', 'package_id']).where('id', '=', id).executeTakeFirst();
}
