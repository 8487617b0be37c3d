import type { VNode } from 'preact';
import type { GridFeatureRow, GridPackageColumn, GridPageGrid } from '../../grids/grid-page.repository.js';
import { renderCellHtml } from '../cell-markup.js';
import { PackageLink, Sparkline } from '../components.js';
import { developmentStatusLabel, formatCount, formatDay, truncate } from '../format.js';
import { escapeHtml, safeHref } from '../html.js';
import { toQuery } from '../params.js';
import type { Viewer } from '../viewer.js';
import { pypiName } from './package.page.js';
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

/** The DOM id of an editable cell (short: a big grid has thousands). */
export function cellId(packageId: number, featureId: number): string {
  return `c${packageId}-${featureId}`;
}

/**
 * An editable cell as HTML: the escaped cell markup plus a plain edit link (works without JS; app.js turns a click
 * into an htmx swap of this cell). Shared by the grid page and the in-place editor's response.
 */
export function editableCellHtml(html: string, gridSlug: string, packageId: number, featureId: number): string {
  const url = `/grids/element/${escapeHtml(encodeURIComponent(gridSlug))}/${packageId}/${featureId}/`;
  return `<td id="${cellId(packageId, featureId)}">${html} <a class="cell-edit" href="${url}">edit</a></td>`;
}

/**
 * One feature row as escaped HTML. Built as a string rather than 100 JSX nodes: the feature block is most of a
 * big grid, and string building renders it several times faster. Every piece of user text goes through escapeHtml
 * or renderCellHtml (which escapes).
 */
export function featureRowHtml(f: GridFeatureRow, d: Pick<GridPageData, 'packages' | 'cells' | 'grid'>, canEdit: boolean): string {
  let out = `<th scope="row"${f.description ? ` title="${escapeHtml(f.description)}"` : ''}>${escapeHtml(f.title)}`;
  out += canEdit ? ` <a class="cell-edit" href="/grids/feature/${f.id}/">edit</a></th>` : '</th>';
  for (const p of d.packages) {
    const html = renderCellHtml(d.cells.get(`${p.grid_package_id}:${f.id}`) ?? '');
    if (!canEdit) {
      out += `<td>${html}</td>`;
      continue;
    }
    out += editableCellHtml(html, d.grid.slug, p.id, f.id);
  }
  return out;
}

type MetricRow = [string, (p: GridPackageColumn) => VNode | string];

function metricRows(tz: string): MetricRow[] {
  const rows: MetricRow[] = [
    ['Description', (p) => truncate(p.repo_description, 100)],
    ['Category', (p) => p.category_title],
    ['Using this', (p) => formatCount(p.usage_count)],
    ['Python 3?', (p) => (p.supports_python3 === true ? 'Yes' : p.supports_python3 === false ? 'No' : 'Unknown')],
    ['Development status', (p) => developmentStatusLabel(p.development_status)],
    ['Version', (p) => p.version_number ?? '—'],
    ['Stars', (p) => formatCount(p.repo_watchers)],
    ['Forks', (p) => formatCount(p.repo_forks)],
    ['Commits', (p) => <Sparkline weeks={p.commits_over_52} />],
    ['Last updated', (p) => formatDay(p.last_commit_date, tz) || '—'],
    ['Score', (p) => formatCount(p.score)],
    ['Licence', (p) => p.version_license ?? p.pypi_license ?? 'UNKNOWN'],
    [
      'Links',
      (p) => (
        <>
          {p.repo_url ? <a href={safeHref(p.repo_url)}>Repo</a> : null}
          {p.pypi_url ? (
            <>
              {' '}
              <a href={`https://pypi.org/project/${encodeURIComponent(pypiName(p.pypi_url))}/`}>PyPI</a>
            </>
          ) : null}
          {p.documentation_url ? (
            <>
              {' '}
              <a href={safeHref(p.documentation_url)}>Docs</a>
            </>
          ) : null}
        </>
      ),
    ],
  ];
  return rows;
}

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
      <div class="grid-wrap" tabIndex={0} role="region" aria-label={`${d.grid.title} comparison`}>
        <table class="grid">
          <thead>
            <tr>
              <th scope="col">Package</th>
              {d.packages.map((p) => (
                <th scope="col" key={p.id}>
                  <PackageLink p={p} />
                  {p.date_deprecated ? <span class="badge">deprecated</span> : p.date_repo_archived ? <span class="badge">archived</span> : null}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {metricRows(tz).map(([label, cell]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {d.packages.map((p) => (
                  <td key={p.id}>{cell(p)}</td>
                ))}
              </tr>
            ))}
            {d.features.length > 0 ? (
              <tr class="section">
                <th scope="row">Features</th>
                <td colSpan={Math.max(1, d.packages.length)}></td>
              </tr>
            ) : null}
            {d.features.map((f) => (
              <tr key={f.id} dangerouslySetInnerHTML={{ __html: featureRowHtml(f, d, canEdit) }} />
            ))}
          </tbody>
        </table>
      </div>
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
      <form method="get" action={base} class="toolbar" hx-get={base} hx-target="#grid-table" hx-swap="outerHTML" hx-push-url="true" hx-trigger="submit, input changed delay:300ms from:#grid-q, change from:#grid-stable">
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
