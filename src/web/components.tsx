import type { ComponentChildren, VNode } from 'preact';
import { formatCount, formatDay } from './format.js';
import type { PackageSummary } from './listing.repository.js';

/** A link to a package page. */
export function PackageLink({ p }: { p: { slug: string; title: string } }): VNode {
  return <a href={`/packages/p/${encodeURIComponent(p.slug)}/`}>{p.title}</a>;
}

/** A short list of packages (home page cards). */
export function PackageShortList({
  items,
  tz,
  show,
}: {
  items: PackageSummary[];
  tz: string;
  show: 'release' | 'created' | 'likes';
}): VNode {
  if (items.length === 0) return <p class="muted">Nothing yet.</p>;
  return (
    <ul class="plain">
      {items.map((p) => (
        <li key={p.id}>
          <PackageLink p={p} />{' '}
          <span class="muted">
            {show === 'release'
              ? `${p.version ?? ''} · ${formatDay(p.uploadTime, tz)}`
              : show === 'created'
                ? formatDay(p.created, tz)
                : `${formatCount(p.favoriteCount)} ♥`}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** The package table of the list pages. */
export function PackageTable({
  items,
  tz,
  sortLink,
}: {
  items: PackageSummary[];
  tz: string;
  sortLink?: (key: string, label: string) => VNode;
}): VNode {
  const h = (key: string, label: string): ComponentChildren => (sortLink ? sortLink(key, label) : label);
  return (
    <div style="overflow-x:auto">
      <table class="list">
        <thead>
          <tr>
            <th scope="col">{h('title', 'Package')}</th>
            <th scope="col">{h('category', 'Category')}</th>
            <th scope="col" class="num">
              {h('stars', 'Stars')}
            </th>
            <th scope="col" class="num">
              {h('forks', 'Forks')}
            </th>
            <th scope="col" class="num">
              {h('downloads', 'Downloads')}
            </th>
            <th scope="col" class="num">
              {h('usage_count', 'Users')}
            </th>
            <th scope="col">{h('last_fetched', 'Last updated')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((p) => (
            <tr key={p.id}>
              <td>
                <PackageLink p={p} />
                <div class="muted">{p.description}</div>
              </td>
              <td>
                <a href={`/categories/${encodeURIComponent(p.categorySlug)}/`}>{p.categoryTitle}</a>
              </td>
              <td class="num">{formatCount(p.stars)}</td>
              <td class="num">{formatCount(p.forks)}</td>
              <td class="num">{formatCount(p.downloads)}</td>
              <td class="num">{formatCount(p.usageCount)}</td>
              <td>{formatDay(p.lastCommitDate ?? p.lastFetched, tz)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Previous/next links for a paged list; `href(page)` builds each link. */
export function Pager({
  page,
  pageSize,
  total,
  href,
}: {
  page: number;
  pageSize: number;
  total: number;
  href: (page: number) => string;
}): VNode | null {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  return (
    <nav class="pager" aria-label="Pages">
      {page > 1 ? (
        <a href={href(page - 1)} rel="prev">
          ← Previous
        </a>
      ) : (
        <span class="muted">← Previous</span>
      )}
      <span>
        Page {page} of {pages}
      </span>
      {page < pages ? (
        <a href={href(page + 1)} rel="next">
          Next →
        </a>
      ) : (
        <span class="muted">Next →</span>
      )}
    </nav>
  );
}

/** The 52-week commit chart as bars, drawn on the server; oldest week on the left. */
export function CommitChart({ weeks, width = 520, height = 80 }: { weeks: readonly number[]; width?: number; height?: number }): VNode {
  const max = Math.max(1, ...weeks);
  const bw = width / 52;
  const total = weeks.reduce((a, b) => a + b, 0);
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-label={`${total} commits in the last 52 weeks`}
    >
      <title>{`${total} commits in the last 52 weeks`}</title>
      {weeks.map((n, i) => {
        const h = n === 0 ? 1 : Math.max(2, Math.round((n / max) * (height - 4)));
        return (
          <rect
            key={i}
            x={(i * bw + 0.5).toFixed(1)}
            y={height - h}
            width={(bw - 1).toFixed(1)}
            height={h}
            fill="currentColor"
            opacity={n === 0 ? 0.25 : 0.85}
          />
        );
      })}
    </svg>
  );
}

/** A small sparkline of the 52 weeks (grid cells): one polyline, cheap to draw 100 times. */
export function Sparkline({ weeks }: { weeks: readonly number[] }): VNode {
  if (weeks.length === 0) return <span class="muted">no data</span>;
  const max = Math.max(1, ...weeks);
  const pts = weeks.map((n, i) => `${i * 2},${Math.round(20 - (n / max) * 18)}`).join(' ');
  const total = weeks.reduce((a, b) => a + b, 0);
  return (
    <svg class="chart" viewBox="0 0 104 21" width="104" height="21" role="img" aria-label={`${total} commits in 52 weeks`}>
      <polyline points={pts} fill="none" stroke="currentColor" stroke-width="1.5" />
    </svg>
  );
}

/** A labelled form field with its error messages beside it. */
export function Field({
  name,
  label,
  errors,
  help,
  children,
}: {
  name: string;
  label: string;
  errors?: Record<string, string[]>;
  help?: string;
  children: ComponentChildren;
}): VNode {
  const errs = errors?.[name] ?? [];
  return (
    <div class={errs.length ? 'field invalid' : 'field'}>
      <label for={`f-${name}`}>{label}</label>
      {children}
      {help ? (
        <div class="help" id={`h-${name}`}>
          {help}
        </div>
      ) : null}
      {errs.map((e) => (
        <div class="field-error" id={`e-${name}`} role="alert">
          {e}
        </div>
      ))}
    </div>
  );
}

/** A text input bound to a form's values and errors. */
export function TextInput({
  name,
  values,
  errors,
  type = 'text',
  required = false,
  maxLength,
}: {
  name: string;
  values: Record<string, string>;
  errors?: Record<string, string[]>;
  type?: 'text' | 'url' | 'email' | 'search';
  required?: boolean;
  maxLength?: number;
}): VNode {
  const invalid = (errors?.[name]?.length ?? 0) > 0;
  return (
    <input
      id={`f-${name}`}
      // preact's input typing is a union per type; the runtime attribute is the same string.
      type={type as 'text'}
      name={name}
      value={values[name] ?? ''}
      required={required}
      maxLength={maxLength ?? 1000}
      {...(invalid ? { 'aria-invalid': 'true' as const, 'aria-describedby': `e-${name}` } : {})}
    />
  );
}

/** The hidden CSRF field every form carries. */
export function Csrf({ token }: { token: string }): VNode {
  return <input type="hidden" name="csrfmiddlewaretoken" value={token} />;
}

/** A form-level error summary. */
export function FormErrors({ errors }: { errors?: Record<string, string[]> }): VNode | null {
  const all = errors?.['__all__'] ?? [];
  if (all.length === 0 && (!errors || Object.keys(errors).length === 0)) return null;
  return (
    <div class="warning" role="alert">
      {all.length ? all.join(' ') : 'Please correct the errors below.'}
    </div>
  );
}
