import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../../test/fake-upstream/server.js';
import { addPypiCopy, insertPackage } from '../../../test/refresh-helpers.js';
import { openDatabase } from '../../db/index.js';
import { migrateToLatest } from '../../db/migrate.js';
import { main } from '../main.js';
import { parseFetchArgs } from './fetch.command.js';
import { captureIo as io } from '../../../test/cli-io.js';

let fake: FakeUpstream;
beforeAll(async () => {
  fake = await startFakeUpstream();
});
afterAll(async () => {
  await fake.close();
});

describe('packgrid fetch', () => {
  it('parses its options and rejects bad ones', () => {
    expect(parseFetchArgs(['--all', '--limit', '5', '--stale-hours=3', '--slug', 'x'])).toEqual({
      all: true,
      limit: 5,
      staleHours: 3,
      slug: 'x',
    });
    expect(parseFetchArgs(['--limit', 'many'])).toBe('--limit needs a whole number');
    expect(parseFetchArgs(['--bogus'])).toBe('unknown option "--bogus"');
  });

  it('refreshes in the foreground and prints fetched, unchanged, failures by reason and requests by host', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'packgrid-fetch-'));
    const h = await openDatabase({ dataDir });
    await migrateToLatest(h.db);
    fake.addGithubRepo('cli', 'one', { stars: 9 });
    fake.addGithubRepo('cli', 'two', { stars: 8 });
    addPypiCopy(fake, 'cli-one');
    await insertPackage(h.db, 'cli-one', 'https://github.com/cli/one', 'cli-one');
    await insertPackage(h.db, 'cli-two', 'https://github.com/cli/two');
    await insertPackage(h.db, 'cli-gone', 'https://github.com/cli/gone');
    await h.close();
    const env = {
      DATA_DIR: dataDir,
      GITHUB_TOKEN: 'test-token',
      GITHUB_API_URL: fake.githubApiUrl,
      GITHUB_GRAPHQL_URL: fake.githubGraphqlUrl,
      PYPI_URL: fake.pypiUrl,
    };
    const first = io(env);
    expect(await main(['fetch'], first.io)).toBe(1);
    expect(first.out()).toMatch(/^fetched 2, unchanged 0, failed 1 \(of 3 packages/);
    expect(first.out()).toContain('failures by reason: github:not_found 1');
    expect(first.out()).toMatch(/upstream requests: .*github-graphql 1/);
    expect(first.out()).toMatch(/pypi 1/);

    // Nothing is stale now: only the failed one (held back until its retry time) would be due, so nothing runs.
    const second = io(env);
    expect(await main(['fetch'], second.io)).toBe(0);
    expect(second.out()).toMatch(/^fetched 0, unchanged 0, failed 0 \(of 0 packages/);

    const one = io(env);
    expect(await main(['fetch', '--slug', 'cli-two'], one.io)).toBe(0);
    expect(one.out()).toMatch(/^fetched 0, unchanged 1, failed 0 \(of 1 packages/);
    expect(one.out()).toContain('upstream requests: github-graphql 1');

    const missing = io(env);
    expect(await main(['fetch', '--slug', 'nope'], missing.io)).toBe(2);
    expect(missing.err()).toContain('no active package with slug "nope"');
  });
});
