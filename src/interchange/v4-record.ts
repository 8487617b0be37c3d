import { normalizeTimestamp } from '../lib/datetime.js';

/** A v4 record checked and converted to column values; absent optional fields are undefined. */
export interface ParsedV4Record {
  id: number;
  categoryId: number;
  gridIds: number[];
  title: string;
  slug: string;
  lastCommitDate: string | null | undefined;
  lastFetched: string | null | undefined;
  repoUrl: string | undefined;
  pypiVersion: string | null | undefined;
  created: string;
  modified: string;
  repoForks: number | undefined;
  repoDescription: string | undefined;
  pypiUrl: string | undefined;
  documentationUrl: string | null | undefined;
  repoWatchers: number | undefined;
  commitsOver52: number[] | undefined;
  participants: string[] | undefined;
}

/** Thrown for a record that cannot be imported; the message names the field. */
export class RecordError extends Error {}

const SLUG = /^[-a-zA-Z0-9_]+$/;

function idFromLink(value: unknown, kind: 'categories' | 'grids', field: string): number {
  if (typeof value !== 'string') throw new RecordError(`${field}: expected a hyperlink string`);
  const m = new RegExp(`/api/v4/${kind}/(\\d+)/?(?:\\?.*)?$`).exec(value);
  if (!m?.[1]) throw new RecordError(`${field}: "${value}" is not a /api/v4/${kind}/<id>/ hyperlink`);
  return Number(m[1]);
}

function str(rec: Record<string, unknown>, k: string, max: number, nullable: boolean): string | null {
  const v = rec[k];
  if (v === null && nullable) return null;
  if (typeof v !== 'string') throw new RecordError(`${k}: expected a string${nullable ? ' or null' : ''}`);
  if (v.length > max) throw new RecordError(`${k}: longer than ${max} characters`);
  return v;
}

function count(rec: Record<string, unknown>, k: string): number {
  const v = rec[k];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 2_147_483_647) {
    throw new RecordError(`${k}: expected a non-negative integer`);
  }
  return v;
}

function time(rec: Record<string, unknown>, k: string, nullable: boolean, naiveZone: string): string | null {
  const v = rec[k];
  if (v === null && nullable) return null;
  if (typeof v !== 'string') throw new RecordError(`${k}: expected a datetime string${nullable ? ' or null' : ''}`);
  const t = normalizeTimestamp(v, naiveZone);
  if (t === null) throw new RecordError(`${k}: "${v}" is not an ISO 8601 datetime`);
  return t;
}

const REQUIRED = ['category', 'grids', 'id', 'title', 'slug', 'created', 'modified'] as const;
const OPTIONAL_WHEN_TRUNCATED = [
  'last_updated',
  'last_fetched',
  'repo_url',
  'pypi_version',
  'repo_forks',
  'repo_description',
  'pypi_url',
  'documentation_url',
  'repo_watchers',
  'commits_over_52',
  'participants',
] as const;

/** Validates one API v4 package record. Fields may be absent only where the record says it was truncated. */
export function parseV4Record(value: unknown, naiveZone: string): ParsedV4Record {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RecordError('expected a JSON object');
  const rec = value as Record<string, unknown>;
  const declaredMissing = new Set(
    rec._truncated === true && Array.isArray(rec._missing_fields)
      ? rec._missing_fields.filter((f): f is string => typeof f === 'string')
      : [],
  );
  for (const k of REQUIRED) if (!(k in rec)) throw new RecordError(`${k}: missing`);
  for (const k of OPTIONAL_WHEN_TRUNCATED) {
    if (!(k in rec) && !declaredMissing.has(k)) throw new RecordError(`${k}: missing`);
  }
  const has = (k: string): boolean => k in rec;
  const id = rec.id;
  if (typeof id !== 'number' || !Number.isInteger(id) || id <= 0 || id > 2_147_483_647)
    throw new RecordError('id: expected a positive integer');
  const title = str(rec, 'title', 100, false) ?? '';
  if (title.trim() === '') throw new RecordError('title: must not be blank');
  const slug = str(rec, 'slug', 100, false) ?? '';
  if (!SLUG.test(slug)) throw new RecordError(`slug: "${slug}" is not a valid slug (letters, digits, - and _)`);
  if (!Array.isArray(rec.grids)) throw new RecordError('grids: expected a list of hyperlinks');
  const gridIds = rec.grids.map((g, i) => idFromLink(g, 'grids', `grids[${i}]`));
  if (new Set(gridIds).size !== gridIds.length) throw new RecordError('grids: the same grid is listed twice');
  let commitsOver52: number[] | undefined;
  if (has('commits_over_52')) {
    const c = rec.commits_over_52;
    if (
      !Array.isArray(c) ||
      (c.length !== 0 && c.length !== 52) ||
      !c.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0)
    ) {
      throw new RecordError('commits_over_52: expected 52 non-negative integers or []');
    }
    commitsOver52 = c as number[];
  }
  let participants: string[] | undefined;
  if (has('participants')) {
    const p = rec.participants;
    if (!Array.isArray(p) || !p.every((s) => typeof s === 'string')) throw new RecordError('participants: expected a list of strings');
    participants = p as string[];
  }
  return {
    id,
    categoryId: idFromLink(rec.category, 'categories', 'category'),
    gridIds,
    title,
    slug,
    lastCommitDate: has('last_updated') ? time(rec, 'last_updated', true, naiveZone) : undefined,
    lastFetched: has('last_fetched') ? time(rec, 'last_fetched', true, naiveZone) : undefined,
    repoUrl: has('repo_url') ? (str(rec, 'repo_url', 255, false) ?? '') : undefined,
    pypiVersion: has('pypi_version') ? str(rec, 'pypi_version', 100, true) : undefined,
    created: time(rec, 'created', false, naiveZone) ?? '',
    modified: time(rec, 'modified', false, naiveZone) ?? '',
    repoForks: has('repo_forks') ? count(rec, 'repo_forks') : undefined,
    repoDescription: has('repo_description') ? (str(rec, 'repo_description', 100_000, false) ?? '') : undefined,
    pypiUrl: has('pypi_url') ? (str(rec, 'pypi_url', 255, false) ?? '') : undefined,
    documentationUrl: has('documentation_url') ? str(rec, 'documentation_url', 255, true) : undefined,
    repoWatchers: has('repo_watchers') ? count(rec, 'repo_watchers') : undefined,
    commitsOver52,
    participants,
  };
}
