import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from './errors.js';

/** Every setting packgrid reads, parsed once and frozen. */
export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  /** Absent: the embedded PGlite database in DATA_DIR/db. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly siteUrl: string;
  readonly siteTitle: string;
  readonly timeZone: string;
  readonly secretKey: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly trustProxy: boolean;
  readonly apiMaxLimit: number;
  readonly rateLimitReadsPerMinute: number;
  readonly rateLimitWritesPerMinute: number;
  /** Search pages, suggestions and OpenSearch suggestions per client address per minute (each runs queries). */
  readonly rateLimitSearchesPerMinute: number;
  readonly refreshHours: number;
  /** Seconds between refresh worker ticks (each takes its even share of the stale packages). */
  readonly fetchTickSeconds: number;
  readonly gitlabToken: string | undefined;
  readonly githubToken: string | undefined;
  readonly githubWebhookSecret: string | undefined;
  readonly githubClientId: string | undefined;
  readonly githubClientSecret: string | undefined;
  readonly githubOauthAuthorizeUrl: string;
  readonly githubOauthTokenUrl: string;
  readonly githubApiUrl: string;
  readonly githubGraphqlUrl: string;
  readonly gitlabUrl: string;
  readonly bitbucketApiUrl: string;
  readonly codebergUrl: string;
  readonly pypiUrl: string;
  /** Extra hosts the fetchers may call (self-hosted GitLab/Forgejo), comma-separated in the environment. */
  readonly fetchAllowedHosts: readonly string[];
  /** Run the refresh worker inside the web process (the embedded default). */
  readonly inProcessWorker: boolean;
  readonly seedDemoData: boolean;
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function url(env: Env, name: string, fallback: string): string {
  const raw = (env[name] ?? '').trim() || fallback;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute http(s) URL, got "${raw}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}

function optional(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The embedded default keeps a generated secret in DATA_DIR so sessions survive restarts. */
function secretFor(env: Env, mode: Config['env'], dataDir: string, embedded: boolean): string {
  const given = optional(env, 'SECRET_KEY');
  if (given) {
    if (given.length < 16) throw new ConfigError('SECRET_KEY must be at least 16 characters long');
    return given;
  }
  if (mode === 'production') throw new ConfigError('SECRET_KEY is required when NODE_ENV=production');
  if (!embedded || mode === 'test') return randomBytes(32).toString('hex');
  const file = path.join(dataDir, 'secret-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('hex');
  writeFileSync(file, key + '\n', { mode: 0o600 });
  return key;
}

/** Reads and validates the environment; throws ConfigError with a clear message on a bad value. */
export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = env.NODE_ENV ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    throw new ConfigError(`NODE_ENV must be development, production or test, got "${nodeEnv}"`);
  }
  const mode = nodeEnv as Config['env'];
  const databaseUrl = optional(env, 'DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql://, got "${databaseUrl}"`);
  }
  const dataDir = path.resolve(optional(env, 'DATA_DIR') ?? './data');
  const port = int(env, 'PORT', 8000, 0, 65535);
  const timeZone = optional(env, 'TIME_ZONE') ?? 'UTC';
  if (!validTimeZone(timeZone)) throw new ConfigError(`TIME_ZONE must be an IANA time zone such as America/New_York, got "${timeZone}"`);
  const logLevel = (optional(env, 'LOG_LEVEL') ?? (mode === 'test' ? 'silent' : 'info')) as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const githubApiUrl = url(env, 'GITHUB_API_URL', 'https://api.github.com');
  const config: Config = {
    env: mode,
    port,
    host: optional(env, 'HOST') ?? '0.0.0.0',
    databaseUrl,
    dataDir,
    siteUrl: url(env, 'SITE_URL', `http://localhost:${port}`),
    siteTitle: optional(env, 'SITE_TITLE') ?? 'packgrid',
    timeZone,
    secretKey: secretFor(env, mode, dataDir, databaseUrl === undefined),
    logLevel,
    trustProxy: bool(env, 'TRUST_PROXY', false),
    apiMaxLimit: int(env, 'API_MAX_LIMIT', 1000, 1, 1_000_000),
    rateLimitReadsPerMinute: int(env, 'RATE_LIMIT_READS_PER_MINUTE', 600, 0, 10_000_000),
    rateLimitWritesPerMinute: int(env, 'RATE_LIMIT_WRITES_PER_MINUTE', 60, 0, 10_000_000),
    rateLimitSearchesPerMinute: int(env, 'RATE_LIMIT_SEARCHES_PER_MINUTE', 120, 0, 10_000_000),
    refreshHours: int(env, 'REFRESH_HOURS', 24, 1, 24 * 365),
    fetchTickSeconds: int(env, 'FETCH_TICK_SECONDS', 30, 1, 3600),
    gitlabToken: optional(env, 'GITLAB_TOKEN'),
    githubToken: optional(env, 'GITHUB_TOKEN'),
    githubWebhookSecret: optional(env, 'GITHUB_WEBHOOK_SECRET'),
    githubClientId: optional(env, 'GITHUB_CLIENT_ID'),
    githubClientSecret: optional(env, 'GITHUB_CLIENT_SECRET'),
    githubOauthAuthorizeUrl: url(env, 'GITHUB_OAUTH_AUTHORIZE_URL', 'https://github.com/login/oauth/authorize'),
    githubOauthTokenUrl: url(env, 'GITHUB_OAUTH_TOKEN_URL', 'https://github.com/login/oauth/access_token'),
    githubApiUrl,
    githubGraphqlUrl: url(env, 'GITHUB_GRAPHQL_URL', `${githubApiUrl}/graphql`),
    gitlabUrl: url(env, 'GITLAB_URL', 'https://gitlab.com'),
    bitbucketApiUrl: url(env, 'BITBUCKET_API_URL', 'https://api.bitbucket.org'),
    codebergUrl: url(env, 'CODEBERG_URL', 'https://codeberg.org'),
    pypiUrl: url(env, 'PYPI_URL', 'https://pypi.org'),
    fetchAllowedHosts: (optional(env, 'FETCH_ALLOWED_HOSTS') ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    // Off by default under NODE_ENV=test: tests must never reach real upstreams.
    inProcessWorker: bool(env, 'IN_PROCESS_WORKER', databaseUrl === undefined && mode !== 'test'),
    seedDemoData: bool(env, 'SEED_DEMO_DATA', true),
  };
  return Object.freeze(config);
}
