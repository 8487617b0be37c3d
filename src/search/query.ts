/** How long a query may be; longer input is cut (a search box is not a document). */
export const MAX_QUERY_LENGTH = 200;
const MAX_TOKENS = 8;
const MAX_TOKEN_LENGTH = 40;
/** The ecosystem's common name prefix: most slugs start with it, so it says little about which package is meant. */
const COMMON_PREFIX = 'django';

/** Narrowing a search to part of the index. */
export interface SearchFilters {
  /** A category slug; implies packages only. */
  readonly category?: string | undefined;
  /** Only packages known to support Python 3. */
  readonly python3?: boolean | undefined;
  /** Leave out archived and deprecated packages. */
  readonly activeOnly?: boolean | undefined;
  readonly itemType?: 'package' | 'grid' | undefined;
}

/** A user's query turned into safe parts for the database; every string here is passed as a parameter. */
export interface ParsedQuery {
  /** The cleaned query as shown back to the user. */
  readonly text: string;
  /** For websearch_to_tsquery('english'): quotes and -exclusion kept, word separators turned into spaces. */
  readonly websearch: string | null;
  /** A to_tsquery('simple') text: the words ANDed, the last one a prefix (typing); only letters and digits. */
  readonly prefix: string | null;
  /** Excluded words as a websearch "a or b" text, so the prefix and fuzzy parts honour them too. */
  readonly exclusions: string | null;
  /** The wanted words without the common prefix, for trigram matching against names. */
  readonly fuzzy: string | null;
  /** The wanted words with the common prefix, for trigram matching against titles. */
  readonly fuzzyFull: string | null;
  /** The wanted words joined by "-" without the common prefix: equal to a name means an exact hit. */
  readonly exact: string;
  /** Only the common prefix (or its start) was typed: it is in nearly every document. */
  readonly dense: boolean;
}

const WORD = /[\p{L}\p{N}]+/gu;

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      prev[j] = Math.min(up + 1, (prev[j - 1] ?? 0) + 1, diag + cost);
      diag = up;
    }
  }
  return prev[b.length] ?? 0;
}

/** True for the common prefix, its short form, or a typo of it ("djnago"). */
export function isCommonPrefixWord(word: string): boolean {
  if (word === COMMON_PREFIX || word === 'dj') return true;
  return word.length >= 5 && word.length <= 8 && editDistance(word, COMMON_PREFIX) <= 2;
}

/** Cleans raw input: no control characters (PostgreSQL rejects NUL), normalized, single spaces, capped. */
export function cleanQuery(raw: unknown): string {
  if (typeof raw !== 'string') return '';
  const s = raw
    .normalize('NFKC')
    .replace(/[\p{C}]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
  return [...s].slice(0, MAX_QUERY_LENGTH).join('').trim();
}

/** Parses a search box query; null when nothing searchable is left. */
export function parseQuery(raw: unknown): ParsedQuery | null {
  const text = cleanQuery(raw);
  if (text === '') return null;
  const lower = text.toLowerCase();
  const excluded = new Set<string>();
  for (const m of lower.matchAll(/(?:^|\s)-([\p{L}\p{N}][\p{L}\p{N}_.-]*)/gu)) {
    for (const w of (m[1] ?? '').match(WORD) ?? []) excluded.add(w);
  }
  const quoted = lower.includes('"');
  const positive =
    lower
      .replace(/(?:^|\s)-[\p{L}\p{N}][\p{L}\p{N}_.-]*/gu, ' ')
      .match(WORD)
      ?.filter((w) => w !== 'or' && w.length <= MAX_TOKEN_LENGTH)
      .slice(0, MAX_TOKENS) ?? [];
  if (positive.length === 0 && excluded.size === 0) return null;
  const first = positive[0];
  const wanted = positive.length > 1 && first !== undefined && isCommonPrefixWord(first) ? positive.slice(1) : positive;

  // websearch_to_tsquery reads "django-rest" as one compound lexeme that slugs like django-rest-framework lack.
  // Inside quotes the compound stays whole: the phrase must line up with the document's own positions.
  let websearch = lower
    .split('"')
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/([\p{L}\p{N}])[-_./:+@]+(?=[\p{L}\p{N}])/gu, '$1 ')))
    .join('"');
  if (!quoted && wanted !== positive && first !== undefined)
    websearch = websearch.replace(new RegExp(`(^|\\s)${first}(\\s|$)`, 'u'), '$1$2');
  websearch = websearch.trim();
  const last = wanted[wanted.length - 1];
  const prefix = !quoted && last !== undefined && last.length >= 3 ? [...wanted.slice(0, -1), `${last}:*`].join(' & ') : null;
  const fuzzyText = wanted.join(' ');
  return {
    text,
    websearch: (websearch.match(WORD) ?? []).length > 0 ? websearch : null,
    prefix,
    exclusions: excluded.size > 0 ? [...excluded].slice(0, MAX_TOKENS).join(' or ') : null,
    fuzzy: fuzzyText.length >= 3 ? fuzzyText : null,
    fuzzyFull: positive.join(' ').length >= 3 ? positive.join(' ') : null,
    exact: wanted.join('-'),
    dense: wanted.length > 0 && wanted.every((w) => isCommonPrefixWord(w) || (w.length >= 2 && COMMON_PREFIX.startsWith(w))),
  };
}
