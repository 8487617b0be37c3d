// Builds an HTTP client and the fetcher registry pointed at a running fake upstream, with small retry delays.
// The timeout stays generous (a loaded CI machine must not turn a slow answer into a retry and a wrong request
// count); tests of the timeout fault pass FAULT_TIMEOUT_MS so they stay quick.
import { createFetchers } from '../../src/fetchers/fetcher.js';
import type { FetcherConfig, FetcherRegistry } from '../../src/fetchers/fetcher.js';
import { createHttpClient } from '../../src/fetchers/http.js';
import type { HttpClient, HttpClientOptions } from '../../src/fetchers/http.js';
import type { FakeUpstream } from './server.js';

/** A short timeout for tests that inject the fake's never-answering fault. */
export const FAULT_TIMEOUT_MS = 300;

/** An HTTP client that trusts only the fake's base URL, with fast retries. */
export function fakeHttpClient(fake: FakeUpstream, overrides: Partial<HttpClientOptions> = {}): HttpClient {
  return createHttpClient({
    siteUrl: 'https://packgrid.test',
    baseUrls: fake.baseUrls,
    timeoutMs: 5_000,
    retries: 2,
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 20,
    ...overrides,
  });
}

/** The fetcher registry with every base URL pointed at the fake. */
export function fakeFetchers(fake: FakeUpstream, http: HttpClient, overrides: Partial<FetcherConfig> = {}): FetcherRegistry {
  return createFetchers({
    http,
    githubToken: 'test-token',
    githubApiUrl: fake.githubApiUrl,
    githubGraphqlUrl: fake.githubGraphqlUrl,
    gitlabUrl: fake.gitlabUrl,
    bitbucketApiUrl: fake.bitbucketApiUrl,
    codebergUrl: fake.codebergUrl,
    ...overrides,
  });
}
