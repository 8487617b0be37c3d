import type { GridFeatureRow, GridPackageColumn, GridPageGrid } from '../../grids/grid-page.repository.js';
import { renderCellHtml } from '../cell-markup.js';
import { developmentStatusLabel, formatCount, formatDay, truncate } from '../format.js';
import { escapeHtml, safeHref } from '../html.js';
import { pypiName } from './package.page.js';

// The comparison table of a grid page as escaped HTML strings. A 100 × 30 grid is over 4,000 cells: building them
// as strings renders several times faster than as JSX nodes, and keeps the uncached page (every signed-in editor's
// first view, every edit) cheap. Every piece of user text passes through escapeHtml or renderCellHtml (which
// escapes); numbers and our own URLs are the only unescaped parts.

/** What the table is drawn from. */
export interface GridTableData {
  grid: GridPageGrid;
  packages: GridPackageColumn[];
  features: GridFeatureRow[];
  /** Cell text by `${grid_package_id}:${feature_id}`. */
  cells: Map<string, string>;
}

/** The DOM id of an editable cell (short: a big grid has thousands). */
export function cellId(packageId: number, featureId: number): string {
  return `c${packageId}-${featureId}`;
}

/** Where a grid's cell editors live: the cell URL is this plus `${packageId}/${featureId}/`. */
export function cellEditBase(gridSlug: string): string {
  return `/grids/element/${encodeURIComponent(gridSlug)}/`;
}

/**
 * An editable cell: the escaped cell markup plus a short edit link relative to the grid page (`?edit=P-F`, which
 * the grid route redirects to the cell editor, so it works without JavaScript; app.js turns a click into an htmx
 * swap of this cell using the table's data-cell-base). Short because a big grid repeats it thousands of times.
 * Shared by the grid page and the in-place editor's response.
 */
export function editableCellHtml(html: string, packageId: number, featureId: number): string {
  return `<td id="${cellId(packageId, featureId)}">${html} <a class="cell-edit" href="?edit=${packageId}-${featureId}">edit</a></td>`;
}

/** One feature row's cells (without the <tr>): the feature heading, then one cell per package column. */
export function featureRowHtml(f: GridFeatureRow, d: Pick<GridTableData, 'packages' | 'cells'>, canEdit: boolean): string {
  let out = `<th scope="row"${f.description ? ` title="${escapeHtml(f.description)}"` : ''}>${escapeHtml(f.title)}`;
  out += canEdit ? ` <a class="cell-edit" href="/grids/feature/${f.id}/">edit</a></th>` : '</th>';
  // Real grids repeat the same few texts ("yes", "no", "+1") down whole rows: mark each distinct text up once.
  const seen = new Map<string, string>();
  for (const p of d.packages) {
    const text = d.cells.get(`${p.grid_package_id}:${f.id}`) ?? '';
    let html = seen.get(text);
    if (html === undefined) {
      html = renderCellHtml(text);
      seen.set(text, html);
    }
    out += canEdit ? editableCellHtml(html, p.id, f.id) : `<td>${html}</td>`;
  }
  return out;
}

/** A package link as HTML. */
function packageLinkHtml(p: { slug: string; title: string }): string {
  return `<a href="/packages/p/${escapeHtml(encodeURIComponent(p.slug))}/">${escapeHtml(p.title)}</a>`;
}

/** The 52-week sparkline of a grid cell: one polyline (same drawing as components.tsx Sparkline). */
export function sparklineHtml(weeks: readonly number[]): string {
  if (weeks.length === 0) return '<span class="muted">no data</span>';
  let max = 1;
  let total = 0;
  for (const n of weeks) {
    if (n > max) max = n;
    total += n;
  }
  let pts = '';
  for (let i = 0; i < weeks.length; i++) pts += `${i === 0 ? '' : ' '}${i * 2},${Math.round(20 - ((weeks[i] ?? 0) / max) * 18)}`;
  return (
    `<svg class="chart" viewBox="0 0 104 21" width="104" height="21" role="img" aria-label="${total} commits in 52 weeks">` +
    `<polyline points="${pts}" fill="none" stroke="currentColor" stroke-width="1.5"></polyline></svg>`
  );
}

function linksHtml(p: GridPackageColumn): string {
  const links: string[] = [];
  if (p.repo_url) links.push(`<a href="${escapeHtml(safeHref(p.repo_url))}">Repo</a>`);
  if (p.pypi_url) links.push(`<a href="https://pypi.org/project/${escapeHtml(encodeURIComponent(pypiName(p.pypi_url)))}/">PyPI</a>`);
  if (p.documentation_url) links.push(`<a href="${escapeHtml(safeHref(p.documentation_url))}">Docs</a>`);
  return links.join(' ');
}

type MetricRow = [label: string, cell: (p: GridPackageColumn) => string];

// Each function returns HTML: text values go through escapeHtml here.
function metricRows(tz: string): MetricRow[] {
  return [
    ['Description', (p) => escapeHtml(truncate(p.repo_description, 100))],
    ['Category', (p) => escapeHtml(p.category_title)],
    ['Using this', (p) => formatCount(p.usage_count)],
    ['Python 3?', (p) => (p.supports_python3 === true ? 'Yes' : p.supports_python3 === false ? 'No' : 'Unknown')],
    ['Development status', (p) => escapeHtml(developmentStatusLabel(p.development_status))],
    ['Version', (p) => escapeHtml(p.version_number ?? '—')],
    ['Stars', (p) => formatCount(p.repo_watchers)],
    ['Forks', (p) => formatCount(p.repo_forks)],
    ['Commits', (p) => sparklineHtml(p.commits_over_52)],
    ['Last updated', (p) => formatDay(p.last_commit_date, tz) || '—'],
    ['Score', (p) => formatCount(p.score)],
    ['Licence', (p) => escapeHtml(p.version_license ?? p.pypi_license ?? 'UNKNOWN')],
    ['Links', linksHtml],
  ];
}

/** The whole comparison table (`<table class="grid">…</table>`) as escaped HTML. */
export function gridTableHtml(d: GridTableData, canEdit: boolean, tz: string): string {
  const parts: string[] = [];
  const base = canEdit ? ` data-cell-base="${escapeHtml(cellEditBase(d.grid.slug))}"` : '';
  parts.push(`<table class="grid"${base}><thead><tr><th scope="col">Package</th>`);
  for (const p of d.packages) {
    const badge = p.date_deprecated
      ? '<span class="badge">deprecated</span>'
      : p.date_repo_archived
        ? '<span class="badge">archived</span>'
        : '';
    parts.push(`<th scope="col">${packageLinkHtml(p)}${badge}</th>`);
  }
  parts.push('</tr></thead><tbody>');
  for (const [label, cell] of metricRows(tz)) {
    let row = `<tr><th scope="row">${label}</th>`;
    for (const p of d.packages) row += `<td>${cell(p)}</td>`;
    parts.push(row + '</tr>');
  }
  if (d.features.length > 0)
    parts.push(`<tr class="section"><th scope="row">Features</th><td colspan="${Math.max(1, d.packages.length)}"></td></tr>`);
  for (const f of d.features) parts.push(`<tr>${featureRowHtml(f, d, canEdit)}</tr>`);
  parts.push('</tbody></table>');
  return parts.join('');
}
