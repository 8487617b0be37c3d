/** A piece of a result's text, and whether it is one of the query's words. */
export interface MarkedText {
  readonly text: string;
  readonly mark: boolean;
}

/** Why a result matched: its description with the query's words marked, or fragments of its grid cells or features. */
export interface Excerpt {
  readonly where: 'description' | 'grids';
  readonly parts: readonly MarkedText[];
}

/** Splits text marked with start/end characters into pieces; null when nothing in it is marked. */
export function splitMarked(text: string, start: string, end: string): MarkedText[] | null {
  if (!text.includes(start)) return null;
  const parts: MarkedText[] = [];
  for (const chunk of text.split(start)) {
    const close = chunk.indexOf(end);
    if (close === -1) {
      if (chunk !== '') parts.push({ text: chunk, mark: false });
      continue;
    }
    if (close > 0) parts.push({ text: chunk.slice(0, close), mark: true });
    if (close + end.length < chunk.length) parts.push({ text: chunk.slice(close + end.length), mark: false });
  }
  return parts.some((x) => x.mark) ? parts : null;
}

/** One search result: a package or a grid, with the figures the result lists show. */
export interface SearchHit {
  readonly itemType: 'package' | 'grid';
  readonly itemId: number;
  readonly title: string;
  readonly slug: string;
  readonly description: string;
  /** Category title; null for grids. */
  readonly category: string | null;
  readonly categorySlug: string | null;
  readonly weight: number;
  readonly repoWatchers: number;
  readonly repoForks: number;
  readonly pypiDownloads: number;
  readonly score: number;
  readonly usage: number;
  /** Comma-separated, as the original's search index stores them. */
  readonly participants: string;
  readonly supportsPython3: boolean | null;
  readonly isActive: boolean;
  readonly pypiVersion: string | null;
  readonly lastCommitted: string | null;
  readonly lastReleased: string | null;
  readonly created: string;
  readonly modified: string;
  readonly relevance: number;
  /** Where the query's words are in the result's text; only when asked for (the results page), else null. */
  readonly excerpt: Excerpt | null;
}

/** A page of results and how many matched in all (capped by the candidate limit: see `more`). */
export interface SearchPage {
  readonly query: string;
  /** The query with its misspelt words corrected, when any were ("celry" -> "celery"); results match either. */
  readonly corrected: string | null;
  readonly hits: readonly SearchHit[];
  readonly total: number;
  /** The total reached the candidate limit: more documents match than are ranked (only the best-weighted are). */
  readonly more: boolean;
}

/** The site path of a result, as the original's absolute_url. */
export function hitPath(hit: Pick<SearchHit, 'itemType' | 'slug'>): string {
  return hit.itemType === 'package' ? `/packages/p/${encodeURIComponent(hit.slug)}/` : `/grids/g/${encodeURIComponent(hit.slug)}/`;
}
