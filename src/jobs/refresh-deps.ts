// Builds the refresh job's dependencies from the validated config: one HTTP client (its pause map is the
// per-upstream rate budget of this process), the repo fetchers and the PyPI fetcher.
import type { Config } from '../config.js';
import type { Db } from '../db/index.js';
import { createFetchers } from '../fetchers/fetcher.js';
import { createHttpClient } from '../fetchers/http.js';
import { createPypiFetcher } from '../fetchers/pypi/pypi.fetcher.js';
import type { RefreshDeps } from './refresh-packages.job.js';

/** One process's refresh dependencies, pointed at the configured upstream base URLs. */
export function createRefreshDeps(config: Config, db: Db): RefreshDeps {
  const baseUrls = [
    config.githubApiUrl,
    config.githubGraphqlUrl,
    config.gitlabUrl,
    config.bitbucketApiUrl,
    config.codebergUrl,
    config.pypiUrl,
  ];
  const http = createHttpClient({ siteUrl: config.siteUrl, baseUrls, allowedHosts: config.fetchAllowedHosts });
  const fetchers = createFetchers({
    http,
    githubToken: config.githubToken,
    githubApiUrl: config.githubApiUrl,
    githubGraphqlUrl: config.githubGraphqlUrl,
    gitlabUrl: config.gitlabUrl,
    gitlabToken: config.gitlabToken,
    bitbucketApiUrl: config.bitbucketApiUrl,
    codebergUrl: config.codebergUrl,
  });
  return { db, http, fetchers, pypi: createPypiFetcher({ http, pypiUrl: config.pypiUrl }), refreshHours: config.refreshHours };
}
