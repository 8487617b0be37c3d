import { describe, expect, it } from 'vitest';
import { serveConfig as config, tempDataDir } from '../test/app.js';
import { startServer } from './server.js';

describe('packgrid serve on an empty DATA_DIR without a matching template', () => {
  it('seeds the database itself when no template matches (another time zone)', async () => {
    const dataDir = tempDataDir();
    const logs: string[] = [];
    const server = await startServer(config(dataDir, 'Europe/Paris'), (m) => logs.push(m));
    try {
      expect(logs.join('\n')).toContain('initialising the embedded database');
      expect(logs.join('\n')).toMatch(/demo data loaded: 669 packages and 89 grids from 2011, 168 current records/);
      const body = (await (await fetch(`${server.url}/api/v4/packages/4059/`)).json()) as { last_fetched: string };
      expect(body.last_fetched).toBe('2026-02-15T17:07:46.826281+01:00');
    } finally {
      await server.stop();
    }
  });
});
