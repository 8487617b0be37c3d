import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { ConfigError } from './errors.js';

describe('config', () => {
  it('has working defaults for the embedded database', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'packgrid-config-'));
    const c = loadConfig({ DATA_DIR: dir });
    expect(c.port).toBe(8000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.timeZone).toBe('UTC');
    expect(c.dataDir).toBe(dir);
    expect(c.rateLimitSearchesPerMinute).toBe(120);
    // The generated secret is stored so sessions survive restarts, and reused.
    expect(readFileSync(path.join(dir, 'secret-key'), 'utf8').trim()).toBe(c.secretKey);
    expect(loadConfig({ DATA_DIR: dir }).secretKey).toBe(c.secretKey);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be between/],
    [{ TIME_ZONE: 'Mars/Olympus' }, /TIME_ZONE must be an IANA time zone/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with postgres/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    [{ NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y' }, /SECRET_KEY is required/],
    [{ SECRET_KEY: 'short' }, /at least 16/],
    [{ SITE_URL: 'not a url' }, /SITE_URL must be an absolute/],
    [{ TRUST_PROXY: 'maybe' }, /TRUST_PROXY must be true or false/],
    [{ RATE_LIMIT_SEARCHES_PER_MINUTE: '-1' }, /RATE_LIMIT_SEARCHES_PER_MINUTE must be a whole number/],
  ])('rejects %o with a clear message', (env, message) => {
    expect(() => loadConfig({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'packgrid-config-')), ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'packgrid-config-')), ...env })).toThrow(message);
  });

  it('accepts America/New_York and a production secret', () => {
    const c = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://u@h/db',
      SECRET_KEY: 'x'.repeat(32),
      TIME_ZONE: 'America/New_York',
    });
    expect(c.timeZone).toBe('America/New_York');
    expect(c.env).toBe('production');
    expect(c.inProcessWorker).toBe(false);
  });
});
