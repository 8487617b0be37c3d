import { formatTimestamp } from '../lib/datetime.js';

/** The columns an API v4 package record is built from (one row of the repository's record query). */
export interface PackageRecordRow {
  id: number;
  category_id: number;
  grid_ids: number[];
  title: string;
  slug: string;
  last_commit_date: string | null;
  last_fetched: string | null;
  repo_url: string;
  pypi_version: string | null;
  created: string;
  modified: string;
  repo_forks: number;
  repo_description: string;
  pypi_url: string;
  documentation_url: string | null;
  repo_watchers: number;
  commits_over_52: number[];
  participants: string[];
}

/** A package exactly as djangopackages.org's API v4 serialises it; key order matters and is kept. */
export interface PackageRecord {
  category: string;
  grids: string[];
  id: number;
  title: string;
  slug: string;
  last_updated: string | null;
  last_fetched: string | null;
  repo_url: string;
  pypi_version: string | null;
  created: string;
  modified: string;
  repo_forks: number;
  repo_description: string;
  pypi_url: string;
  documentation_url: string | null;
  repo_watchers: number;
  commits_over_52: number[];
  participants: string[];
}

/** The field order of PackageSerializer.Meta.fields. */
export const PACKAGE_RECORD_FIELDS = [
  'category',
  'grids',
  'id',
  'title',
  'slug',
  'last_updated',
  'last_fetched',
  'repo_url',
  'pypi_version',
  'created',
  'modified',
  'repo_forks',
  'repo_description',
  'pypi_url',
  'documentation_url',
  'repo_watchers',
  'commits_over_52',
  'participants',
] as const;

/** Builds the v4 record; `apiBase` is the absolute `/api/v4` URL without a trailing slash. */
export function toPackageRecord(row: PackageRecordRow, apiBase: string, timeZone: string): PackageRecord {
  return {
    category: `${apiBase}/categories/${row.category_id}/`,
    grids: row.grid_ids.map((g) => `${apiBase}/grids/${g}/`),
    id: row.id,
    title: row.title,
    slug: row.slug,
    last_updated: formatTimestamp(row.last_commit_date, timeZone),
    last_fetched: formatTimestamp(row.last_fetched, timeZone),
    repo_url: row.repo_url,
    pypi_version: row.pypi_version,
    created: formatTimestamp(row.created, timeZone) ?? row.created,
    modified: formatTimestamp(row.modified, timeZone) ?? row.modified,
    repo_forks: row.repo_forks,
    repo_description: row.repo_description,
    pypi_url: row.pypi_url,
    documentation_url: row.documentation_url,
    repo_watchers: row.repo_watchers,
    commits_over_52: row.commits_over_52,
    participants: row.participants.filter((p) => p !== ''),
  };
}
