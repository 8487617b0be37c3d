import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_DATA_DIR } from '../interchange/demo-seed.js';
import { main } from './main.js';
import { commands } from './commands/index.js';
import { captureIo as io } from '../../test/cli-io.js';

describe('packgrid CLI', () => {
  it('prints help for every command', async () => {
    for (const c of commands) {
      const t = io({});
      expect(await main([c.name, '--help'], t.io)).toBe(0);
      expect(t.out()).toContain(`packgrid ${c.name}`);
    }
    const t = io({});
    expect(await main(['--help'], t.io)).toBe(0);
    expect(t.out()).toContain('Commands:');
    const u = io({});
    expect(await main(['frobnicate'], u.io)).toBe(2);
    expect(u.err()).toContain('unknown command "frobnicate"');
  });

  it('migrates, imports, re-imports and exports through the embedded database', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'packgrid-cli-'));
    const env = { DATA_DIR: dataDir, TIME_ZONE: 'America/New_York', SITE_URL: 'https://djangopackages.org' };
    const m = io(env);
    expect(await main(['migrate'], m.io)).toBe(0);
    expect(m.out()).toMatch(/applied: 0001-initial/);
    const m2 = io(env);
    expect(await main(['migrate'], m2.io)).toBe(0);
    expect(m2.out()).toContain('database is up to date');

    const jsonl = path.join(DEMO_DATA_DIR, 'packages.jsonl');
    const i = io(env);
    expect(await main(['import', jsonl], i.io)).toBe(0);
    expect(i.out()).toContain('imported: 168 new, 0 updated, 0 rejected');

    const bad = path.join(dataDir, 'bad.jsonl');
    writeFileSync(bad, readFileSync(jsonl, 'utf8').split('\n')[0] + '\n{oops\n');
    const b = io(env);
    expect(await main(['import', bad], b.io)).toBe(1);
    expect(b.out()).toContain('imported: 0 new, 1 updated, 1 rejected');
    expect(b.err()).toMatch(/rejected line 2: bad JSON/);

    const missing = io(env);
    expect(await main(['import', '/no/such/file.jsonl'], missing.io)).toBe(2);
    expect(missing.err()).toContain('no such file or folder');
    const none = io(env);
    expect(await main(['import'], none.io)).toBe(2);

    const e = io(env);
    expect(await main(['export'], e.io)).toBe(0);
    const lines = e.out().trim().split('\n');
    expect(lines).toHaveLength(168);
    const first = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(Object.keys(first).slice(0, 3)).toEqual(['category', 'grids', 'id']);
    expect(first.category).toBe('https://djangopackages.org/api/v4/categories/1/');
  });

  it('stops with a clear message on a bad setting', async () => {
    const t = io({ PORT: 'abc' });
    expect(await main(['migrate'], t.io)).toBe(1);
    expect(t.err()).toContain('PORT must be a whole number');
  });
});
