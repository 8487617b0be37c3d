import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Load-test figures for one URL. */
export interface LoadResult {
  url: string;
  requests_per_sec: number;
  p50_ms: number;
  p99_ms: number;
  non2xx: number;
  errors: number;
}

/** Runs autocannon against one URL (defaults: 10 s, 32 connections) and returns the median figures. */
export async function runLoad(
  url: string,
  opts: { duration?: number; connections?: number; headers?: Record<string, string> } = {},
): Promise<LoadResult> {
  // A short warm-up so JIT and caches settle before the measured run.
  await autocannon({ url, duration: 1, connections: opts.connections ?? 32, headers: opts.headers ?? {} });
  const r = await autocannon({ url, duration: opts.duration ?? 10, connections: opts.connections ?? 32, headers: opts.headers ?? {} });
  return {
    url,
    requests_per_sec: Math.round(r.requests.average),
    p50_ms: r.latency.p50,
    p99_ms: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

/** Fetches a URL once and returns the exact body and content type (for the bare-server baseline). */
export async function capture(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ body: Buffer; contentType: string; status: number }> {
  const res = await fetch(url, { headers });
  return {
    body: Buffer.from(await res.arrayBuffer()),
    contentType: res.headers.get('content-type') ?? 'application/octet-stream',
    status: res.status,
  };
}

/**
 * A bare node:http server answering the same bytes from memory for every path: the baseline of every ratio.
 * It runs in a child process, as the packgrid server does, so neither shares a thread with autocannon.
 */
export async function startBareServer(
  routes: Map<string, { body: Buffer; contentType: string }>,
): Promise<{ url: string; close(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'packgrid-bare-'));
  const file = path.join(dir, 'routes.json');
  writeFileSync(
    file,
    JSON.stringify([...routes].map(([p, r]) => ({ path: p, contentType: r.contentType, bodyBase64: r.body.toString('base64') }))),
  );
  const tsx = path.resolve('node_modules/tsx/dist/cli.mjs');
  const child = spawn(process.execPath, [tsx, path.resolve('bench/lib/bare-server.child.ts'), file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    child.stdout?.on('data', (c: Buffer) => {
      buf += c.toString();
      const m = /listening (\d+)/.exec(buf);
      if (m?.[1]) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`bare server exited with ${String(code)}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** How benchmarks run the server: production mode, no demo seed, no read rate limit, djangopackages.org's zone. */
export const BENCH_SERVER_ENV: Readonly<Record<string, string>> = {
  SEED_DEMO_DATA: 'false',
  RATE_LIMIT_READS_PER_MINUTE: '0',
  TIME_ZONE: 'America/New_York',
  NODE_ENV: 'production',
  SECRET_KEY: 'bench-secret-key-0123456789',
};

/** Starts `packgrid serve` in a child process with the given environment and waits for /health/. */
export async function spawnPackgrid(
  env: Record<string, string>,
  port: number,
): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const bin = path.resolve('bin/packgrid.js');
  const child = spawn(process.execPath, [bin, 'serve'], {
    env: { ...process.env, LOG_LEVEL: 'warn', PORT: String(port), HOST: '127.0.0.1', IN_PROCESS_WORKER: 'false', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`packgrid serve exited with ${child.exitCode}`);
    try {
      const r = await fetch(`${url}/health/`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('packgrid serve did not come up in 120 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The median of a list of numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}
