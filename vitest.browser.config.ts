import { defineConfig } from 'vitest/config';

// Browser tests: a real packgrid on a port, the fake OAuth provider, Debian Chromium driven by playwright-core.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    fileParallelism: false,
  },
});
