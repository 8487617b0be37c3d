import { describe, expect, it } from 'vitest';
import { serveConfig as config, tempDataDir } from '../test/app.js';
import { startServer } from './server.js';

describe('packgrid serve on an empty DATA_DIR', () => {
  it('starts from the prebuilt demo template, serves the demo data, keeps it on restart and refuses a second process', async () => {
    const dataDir = tempDataDir();
    const logs: string[] = [];
    const server = await startServer(config(dataDir, 'America/New_York'), (m) => logs.push(m));
    try {
      expect(logs.join('\n')).toContain('from the prebuilt demo template');
      expect(logs.join('\n')).not.toContain('loading the demo data');
      const res = await fetch(`${server.url}/api/v4/packages/4059/`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { slug: string; last_fetched: string };
      expect(body.slug).toBe('ansible-django-stack');
      expect(body.last_fetched).toBe('2026-02-15T11:07:46.826281-05:00');
      // A second open of the same folder stops with a clear message (other processes: see src/db/db.test.ts).
      const second = await startServer(config(dataDir, 'America/New_York'), () => undefined).then(
        () => 'started',
        (e: Error) => e.message,
      );
      expect(second).toMatch(/already open in this process/);
    } finally {
      await server.stop();
    }
    const again: string[] = [];
    const restarted = await startServer(config(dataDir, 'America/New_York'), (m) => again.push(m));
    try {
      expect(again.join('\n')).not.toMatch(/initialising|demo template|loading the demo data/);
      expect((await fetch(`${restarted.url}/api/v4/packages/?limit=1`)).status).toBe(200);
    } finally {
      await restarted.stop();
    }
  });
});
