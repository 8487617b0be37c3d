import type { Category } from '../../categories/category.service.js';
import type { Grid } from '../../grids/grid.service.js';
import { formatTimestamp } from '../../lib/datetime.js';
import { ValidationError } from '../../errors.js';

/** A grid in API v4's field order. */
export function gridRecord(g: Grid, base: string, tz: string): Record<string, unknown> {
  return {
    id: g.id,
    title: g.title,
    slug: g.slug,
    description: g.description,
    is_locked: g.is_locked,
    packages: g.package_ids.map((id) => `${base}/packages/${id}/`),
    header: g.header,
    created: formatTimestamp(g.created, tz),
    modified: formatTimestamp(g.modified, tz),
  };
}

/** A category in API v4's field order. */
export function categoryRecord(c: Category, tz: string): Record<string, unknown> {
  return {
    id: c.id,
    title: c.title,
    slug: c.slug,
    description: c.description,
    title_plural: c.title_plural,
    show_pypi: c.show_pypi,
    created: formatTimestamp(c.created, tz),
    modified: formatTimestamp(c.modified, tz),
  };
}

/**
 * Resolves a hyperlinked-related value (an absolute or relative `…/api/v4/{resource}/{id}/` URL, or a bare id)
 * to an id, with DRF's messages on failure.
 */
export function resolveHyperlink(field: string, resource: string, v: string | number): number {
  if (typeof v === 'number') return v;
  const m = new RegExp(`^(?:https?://[^/]+)?/api/v4/${resource}/(\\d+)/?(?:\\?.*)?$`).exec(v.trim());
  if (!m?.[1]) throw new ValidationError({ [field]: ['Invalid hyperlink - No URL match.'] });
  return Number(m[1]);
}

/** The newest of the rows' timestamps, for Last-Modified. */
export function newest(values: readonly (string | null)[]): string | null {
  let best: string | null = null;
  let bestMs = -Infinity;
  for (const v of values) {
    if (v === null) continue;
    const ms = Date.parse(v.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00'));
    if (ms > bestMs) {
      bestMs = ms;
      best = v;
    }
  }
  return best;
}
