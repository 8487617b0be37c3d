// Loads the real recorded upstream responses copied into test/fixtures/upstream/ (VCR/betamax cassettes
// from djangopackages' and github3.py's test suites, and PyPI JSON documents). Nothing here reads ../shared.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'upstream');

export interface Recording {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

// Hop-by-hop and encoding headers describe the original transfer (gzip, chunked), not the replayed body.
const DROP = new Set(['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'set-cookie', 'etag']);

/** Reads one cassette-style recording ({status:{code}, headers, body}). */
export function loadRecording(file: string): Recording {
  const raw = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as {
    status?: { code?: number };
    headers?: Record<string, string | string[]>;
    body?: unknown;
  };
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw.headers ?? {})) {
    if (DROP.has(k.toLowerCase())) continue;
    headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return { status: raw.status?.code ?? 200, headers, body: raw.body };
}

/** Reads a recorded PyPI JSON document (stored as the bare body). */
export function loadPypiDocument(name: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, 'pypi', `pypi-${name}.json`), 'utf8')) as unknown;
}

/** Names of the recorded PyPI documents. */
export const RECORDED_PYPI = [
  'django',
  'django-crispy-forms',
  'django-minify-html',
  'djangorestframework',
  'nango',
  'wagtail',
  'django-fett',
] as const;
