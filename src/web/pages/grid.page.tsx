import type { VNode } from 'preact';
import type { GridFeatureRow, GridPackageColumn, GridPageGrid } from '../../grids/grid-page.repository.js';
import { toQuery } from '../params.js';
import type { Viewer } from '../viewer.js';
import { gridTableHtml } from './grid-table-html.js';
import { GRID_SORTS, type GridView } from './grid-view.js';

/** What the grid page renders. */
export interface GridPageData {
  grid: GridPageGrid;
  packages: GridPackageColumn[];
  totalPackages: number;
  features: GridFeatureRow[];
  /** Cell text by `${grid_package_id}:${feature_id}`. */
  cells: Map<string, string>;
  view: GridView;
}

const SORT_LABELS: Record<(typeof GRID_SORTS)[number], string> = {
  score: 'Score',
  title: 'Title',
  commit_date: 'Last commit',
  watchers: 'Stars',
  downloads: 'Downloads',
  forks: 'Forks',
};

/** The comparison table alone: the htmx partial for sort and filter. */
export function GridTable({ d, viewer, tz }: { d: GridPageData; viewer: Viewer | null; tz: string }): VNode {
  const base = `/grids/g/${encodeURIComponent(d.grid.slug)}/`;
  const canEdit = viewer !== null;
  const sortHref = (sort: string) => base + toQuery({ q: d.view.q, stable: d.view.stable ? '1' : '', sort: sort === 'score' ? '' : sort });
  return (
    <div id="grid-table">
      <p class="muted" aria-live="polite">
        Showing {d.packages.length} of {d.totalPackages} packages · sorted by {SORT_LABELS[d.view.sort].toLowerCase()} ·{' '}
        {GRID_SORTS.map((s, i) => (
          <>
            {i > 0 ? ' ' : ''}
            {s === d.view.sort ? (
              <strong>{SORT_LABELS[s]}</strong>
            ) : (
              <a href={sortHref(s)} hx-get={sortHref(s)} hx-target="#grid-table" hx-swap="outerHTML" hx-push-url="true">
                {SORT_LABELS[s]}
              </a>
            )}
          </>
        ))}
      </p>
      <div
        class="grid-wrap"
        tabIndex={0}
        role="region"
        aria-label={`${d.grid.title} comparison`}
        dangerouslySetInnerHTML={{ __html: gridTableHtml(d, canEdit, tz) }}
      />
    </div>
  );
}

/** The grid page body. */
export function GridPage({ d, viewer, tz }: { d: GridPageData; viewer: Viewer | null; tz: string }): VNode {
  const base = `/grids/g/${encodeURIComponent(d.grid.slug)}/`;
  const slug = encodeURIComponent(d.grid.slug);
  return (
    <>
      <h1>{d.grid.title}</h1>
      {d.grid.description
        ? d.grid.description.split(/\n{2,}/).map((para) => (
            <p>
              {para.split('\n').map((line, i) => (
                <>
                  {i > 0 ? <br /> : null}
                  {line}
                </>
              ))}
            </p>
          ))
        : null}
      <div class="actions">
        <a href={`${base}packages/`}>All packages</a>
        <a href={`${base}timesheet/`}>Timesheet</a>
        <a href={`${base}history/`}>Edit history</a>
        {viewer ? (
          <>
            <a href={`/grids/${slug}/edit/`}>Edit grid</a>
            <a href={`/grids/feature/add/${slug}/`}>Add feature</a>
            <a href={`/grids/${slug}/package/add/`}>Add package</a>
            <a href={`/packages/add/?grid_slug=${slug}`}>Add a new package to this grid</a>
          </>
        ) : null}
      </div>
      <form
        method="get"
        action={base}
        class="toolbar"
        hx-get={base}
        hx-target="#grid-table"
        hx-swap="outerHTML"
        hx-push-url="true"
        hx-trigger="submit, input changed delay:300ms from:#grid-q, change from:#grid-stable"
      >
        <label>
          Filter packages
          <input id="grid-q" type="search" name="q" value={d.view.q} />
        </label>
        <label>
          <span>
            <input id="grid-stable" type="checkbox" name="stable" value="1" checked={d.view.stable} /> Production/Stable only
          </span>
        </label>
        <label>
          Sort
          <select name="sort">
            {GRID_SORTS.map((s) => (
              <option value={s} selected={s === d.view.sort}>
                {SORT_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Apply</button>
      </form>
      <GridTable d={d} viewer={viewer} tz={tz} />
    </>
  );
}
