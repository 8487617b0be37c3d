// Shared by the refresh job, CLI and webhook tests: rows to refresh, and refresh dependencies on the fake upstream.
import { fakeFetchers, fakeHttpClient } from './fake-upstream/clients.js';
import type { FakeUpstream } from './fake-upstream/server.js';
import { loadPypiDocument } from './fake-upstream/recordings.js';
import type { Db } from '../src/db/index.js';
import type { HttpClientOptions } from '../src/fetchers/http.js';
import { createPypiFetcher } from '../src/fetchers/pypi/pypi.fetcher.js';
import type { RefreshDeps } from '../src/jobs/refresh-packages.job.js';

/** A category to hang test packages on. */
export async function ensureCategory(db: Db): Promise<number> {
  const row = await db
    .insertInto('categories')
    .values({ title: 'Apps', slug: 'apps' })
    .onConflict((oc) => oc.column('slug').doUpdateSet({ title: 'Apps' }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Inserts a package; returns its id. */
export async function insertPackage(
  db: Db,
  slug: string,
  repoUrl: string,
  pypiUrl = '',
  extra: { documentation_url?: string | null } = {},
): Promise<number> {
  const category_id = await ensureCategory(db);
  const row = await db
    .insertInto('packages')
    .values({ title: slug, slug, category_id, repo_url: repoUrl, pypi_url: pypiUrl, ...extra })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Serves the recorded django-crispy-forms PyPI document under another name (with a SYNTHETIC Documentation URL). */
export function addPypiCopy(fake: FakeUpstream, name: string): void {
  const doc = loadPypiDocument('django-crispy-forms') as { info: Record<string, unknown> };
  fake.addPypi(name, { ...doc, info: { ...doc.info, name, project_urls: { Documentation: `https://docs.example.org/${name}` } } });
}

/** Refresh dependencies pointed at the fake, with a pinned clock. A fresh call = a fresh process (no pauses). */
export function fakeRefreshDeps(
  fake: FakeUpstream,
  db: Db,
  now: () => string,
  overrides: Partial<RefreshDeps> = {},
  httpOverrides: Partial<HttpClientOptions> = {},
): RefreshDeps {
  const http = fakeHttpClient(fake, httpOverrides);
  const fetchers = fakeFetchers(fake, http, { now: () => new Date(now()) });
  return { db, http, fetchers, pypi: createPypiFetcher({ http, pypiUrl: fake.pypiUrl }), refreshHours: 24, now, ...overrides };
}
