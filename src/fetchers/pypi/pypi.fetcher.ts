// PyPI JSON API: GET {PYPI_URL}/pypi/{name}/json, with an ETag so an unchanged project costs a 304.
// Licence, Python 3 support and development status follow reference §4 (package/pypi.py at HEAD).
import { asArray, asObject, failureFrom, NotFoundSignal, expectStatus, str, strOrNull } from '../common.js';
import type { Json } from '../common.js';
import type { HttpClient } from '../http.js';
import { admitsPython3 } from './pep440.js';

export interface PypiRelease {
  number: string;
  /** upload_time_iso_8601 of the release's earliest file, exactly as PyPI sent it; null for a release without files. */
  uploadTime: string | null;
  /** True when every file of the release is yanked. */
  yanked: boolean;
}

export interface PypiProject {
  name: string;
  latestVersion: string;
  /** Upload time of the current version (urls[0], as the original), exact ISO string. */
  latestUploadTime: string | null;
  /** Every release, oldest upload first (a release history, not only the current version). */
  releases: PypiRelease[];
  /** Normalised as Version.save: a classifier licence kept, over 20 characters → "Custom", none → "UNKNOWN". */
  license: string;
  licenses: string[];
  classifiers: string[];
  requiresPython: string | null;
  /** null = unknown: the caller leaves the stored value as it is. */
  supportsPython3: boolean | null;
  /** 1-7 from the first "Development Status ::" classifier, 0 = unknown. */
  developmentStatus: number;
  documentationUrl: string | null;
}

export type PypiResult =
  | { kind: 'ok'; project: PypiProject; etag: string | null }
  | { kind: 'unchanged'; etag: string | null }
  | { kind: 'not_found' }
  | { kind: 'error'; reason: string; retryable: boolean }
  | { kind: 'rate_limited'; resetAt: string };

export interface PypiFetcher {
  /** Fetches one project; never throws. */
  fetchProject(name: string, options?: { etag?: string | undefined }): Promise<PypiResult>;
}

/** Turns a stored pypi_url (or bare name) into the project name, as Package.pypi_name does. */
export function pypiNameFromUrl(pypiUrl: string): string {
  let name = pypiUrl.trim();
  for (const prefix of [
    'https://pypi.python.org/pypi/',
    'http://pypi.python.org/pypi/',
    'https://pypi.org/project/',
    'http://pypi.org/project/',
    'https://pypi.org/pypi/',
  ]) {
    if (name.toLowerCase().startsWith(prefix)) {
      name = name.slice(prefix.length);
      break;
    }
  }
  return name.replace(/^\/+|\/+$/g, '').split('/')[0] ?? '';
}

/** Licences in priority order: PEP 639 expression, else legacy `license`, then every License classifier's last segment. */
export function licensesFrom(info: Json): { licenses: string[]; fromClassifier: boolean } {
  const out: string[] = [];
  const expression = str(info, 'license_expression').trim();
  const legacy = str(info, 'license').trim();
  if (expression !== '') out.push(expression);
  else if (legacy !== '') out.push(legacy);
  const fromHeader = out.length;
  for (const c of asArray(info.classifiers)) {
    if (typeof c !== 'string' || !c.startsWith('License ::')) continue;
    const segment = c.split('::').at(-1)?.trim() ?? '';
    if (segment !== '' && !out.includes(segment)) out.push(segment);
  }
  return { licenses: out, fromClassifier: fromHeader === 0 && out.length > 0 };
}

/** Normalises the first licence as Version.save: classifier names are kept, long free text becomes "Custom". */
export function normalizeLicense(license: string | undefined, fromClassifier: boolean): string {
  if (license === undefined || license === '') return 'UNKNOWN';
  if (fromClassifier) return license;
  // A PEP 639 SPDX expression is short and precise; free-text licence bodies are not.
  return license.length > 20 ? 'Custom' : license;
}

/** Python 3 support: requires_python first (invalid → classifiers), then the "Python :: 3" classifiers, else null. */
export function supportsPython3(requiresPython: string | null, classifiers: readonly string[]): boolean | null {
  if (requiresPython !== null && requiresPython.trim() !== '') {
    const admitted = admitsPython3(requiresPython);
    if (admitted !== null) return admitted;
  }
  return classifiers.some((c) => c.startsWith('Programming Language :: Python :: 3')) ? true : null;
}

/** 1-7 from the first "Development Status :: N - ..." classifier, 0 when there is none. */
export function developmentStatus(classifiers: readonly string[]): number {
  for (const c of classifiers) {
    const m = /^Development Status :: ([1-7])\b/.exec(c);
    if (m?.[1] !== undefined) return Number(m[1]);
  }
  return 0;
}

function documentationUrl(info: Json): string | null {
  const docs = str(info, 'docs_url');
  if (docs !== '') return docs;
  const urls = asObject(info.project_urls);
  for (const k of ['Documentation', 'Docs', 'docs', 'documentation']) {
    const v = str(urls, k);
    if (v !== '') return v;
  }
  return null;
}

function releasesFrom(body: Json): PypiRelease[] {
  const releases: PypiRelease[] = [];
  for (const [number, files] of Object.entries(asObject(body.releases) ?? {})) {
    const list = asArray(files).map(asObject);
    const times = list.map((f) => str(f, 'upload_time_iso_8601')).filter((t) => t !== '');
    // ISO strings in PyPI's fixed format sort chronologically.
    times.sort();
    releases.push({ number, uploadTime: times[0] ?? null, yanked: list.length > 0 && list.every((f) => f?.yanked === true) });
  }
  releases.sort((a, b) => (a.uploadTime ?? '').localeCompare(b.uploadTime ?? ''));
  return releases;
}

/** Parses a PyPI JSON API document into a PypiProject; null when it is not one (e.g. `{}`). */
export function parsePypiProject(body: unknown): PypiProject | null {
  const root = asObject(body);
  const info = asObject(root?.info);
  if (root === null || info === null) return null;
  const classifiers = asArray(info.classifiers).filter((c): c is string => typeof c === 'string');
  const { licenses, fromClassifier } = licensesFrom(info);
  const requiresPython = strOrNull(info, 'requires_python');
  const firstUrl = asObject(asArray(root.urls)[0]);
  return {
    name: str(info, 'name'),
    latestVersion: str(info, 'version'),
    latestUploadTime: strOrNull(firstUrl, 'upload_time_iso_8601'),
    releases: releasesFrom(root),
    license: normalizeLicense(licenses[0], fromClassifier),
    licenses,
    classifiers,
    requiresPython: requiresPython === '' ? null : requiresPython,
    supportsPython3: supportsPython3(requiresPython, classifiers),
    developmentStatus: developmentStatus(classifiers),
    documentationUrl: documentationUrl(info),
  };
}

/** Creates the PyPI fetcher over the shared HTTP client. */
export function createPypiFetcher(options: { http: HttpClient; pypiUrl?: string }): PypiFetcher {
  const base = (options.pypiUrl ?? 'https://pypi.org').replace(/\/+$/, '');
  return {
    async fetchProject(name, opts = {}) {
      const clean = name.trim();
      if (clean === '' || !/^[A-Za-z0-9._-]+$/.test(clean))
        return { kind: 'error', reason: `invalid PyPI name: ${name}`, retryable: false };
      try {
        const res = await options.http.request(`${base}/pypi/${encodeURIComponent(clean)}/json`, { etag: opts.etag, key: 'pypi' });
        expectStatus(res, [200, 304]);
        if (res.status === 304) return { kind: 'unchanged', etag: opts.etag ?? null };
        const project = parsePypiProject(res.json());
        if (project === null) return { kind: 'error', reason: `not a PyPI project document: ${res.url}`, retryable: true };
        return { kind: 'ok', project, etag: res.etag };
      } catch (err) {
        if (err instanceof NotFoundSignal) return { kind: 'not_found' };
        return failureFrom(err);
      }
    },
  };
}
