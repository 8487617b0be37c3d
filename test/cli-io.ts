import { PassThrough } from 'node:stream';
import type { Io } from '../src/cli/command.js';

/** An Io for running CLI commands in-process, capturing what they print. */
export function captureIo(env: Record<string, string>): { io: Io; out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (c: Buffer) => out.push(c.toString()));
  stderr.on('data', (c: Buffer) => err.push(c.toString()));
  return {
    io: { stdout, stderr, env: { NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env } },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}
