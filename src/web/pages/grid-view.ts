import type { GridPackageColumn } from '../../grids/grid-page.repository.js';
import { timestampToMillis } from '../../lib/datetime.js';

/** The grid page's sort keys (the original's names). */
export const GRID_SORTS = ['score', 'title', 'commit_date', 'watchers', 'downloads', 'forks'] as const;
/** A grid sort key. */
export type GridSort = (typeof GRID_SORTS)[number];

/** The grid page's view options, from the query string. */
export interface GridView {
  q: string;
  stable: boolean;
  sort: GridSort;
}

/** Reads the view options, falling back to the defaults on anything unknown. */
export function parseGridView(query: { q: string; stable: string; sort: string }): GridView {
  const sort = (GRID_SORTS as readonly string[]).includes(query.sort) ? (query.sort as GridSort) : 'score';
  return { q: query.q, stable: query.stable === '1' || query.stable === 'on' || query.stable === 'true', sort };
}

function value(p: GridPackageColumn, sort: GridSort): number {
  switch (sort) {
    case 'score':
      return p.score;
    case 'watchers':
      return p.repo_watchers;
    case 'downloads':
      return p.pypi_downloads;
    case 'forks':
      return p.repo_forks;
    case 'commit_date':
      return p.last_commit_date === null ? Number.NEGATIVE_INFINITY : timestampToMillis(p.last_commit_date);
    case 'title':
      return 0;
  }
}

/** Filters (title/description contains q; stable = Production/Stable) and sorts the packages; pure. */
export function applyGridView(packages: readonly GridPackageColumn[], v: GridView): GridPackageColumn[] {
  const needle = v.q.toLowerCase();
  const out = packages.filter(
    (p) =>
      (needle === '' || p.title.toLowerCase().includes(needle) || p.repo_description.toLowerCase().includes(needle)) &&
      (!v.stable || p.development_status === 5),
  );
  if (v.sort === 'title') return out.sort((a, b) => a.title.localeCompare(b.title, 'en', { sensitivity: 'base' }) || a.id - b.id);
  // Descending, with nulls last for commit_date, ties by title.
  return out.sort((a, b) => value(b, v.sort) - value(a, v.sort) || a.title.localeCompare(b.title) || a.id - b.id);
}
