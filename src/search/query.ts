/** How long a query may be; longer input is cut (a search box is not a document). */
export const MAX_QUERY_LENGTH = 200;
const MAX_TOKENS = 8;
const MAX_TOKEN_LENGTH = 40;
/** The ecosystem's common name prefix: most slugs start with it, so it says little about which package is meant. */
const COMMON_PREFIX = 'django';

/** How a results page is ordered: by relevance (the default), or by a figure among the ranked matches. */
export const SEARCH_SORTS = ['relevance', 'stars', 'score', 'activity', 'released'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

/** A sort name from the outside world; anything unknown means relevance. */
export function parseSort(raw: unknown): SearchSort {
  return SEARCH_SORTS.find((s) => s === raw) ?? 'relevance';
}

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
  /** The word being typed is long enough (4+) to be completed from any word of the document when names match few. */
  readonly prefixAnywhere: boolean;
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
  /** The wanted words: lower case, without the common prefix when a name follows it. */
  readonly words: readonly string[];
  /** Wanted words a spelling correction may replace: 4 to 40 characters with a letter, outside quotes. */
  readonly correctable: readonly string[];
  /** The query as searched after spelling corrections ("celry" -> "celery"); null when nothing was corrected. */
  readonly corrected: string | null;
  /** Quotes were typed: the words are meant exactly as written. */
  readonly quoted: boolean;
  /**
   * The telling words ORed (a websearch text), for documents that hold some but not all of them when all of them
   * match few; null for one word, quotes, or only common words. Set by the search service from the vocabulary.
   */
  readonly anyWords: string | null;
}

const WORD = /[\p{L}\p{N}]+/gu;
const MIN_CORRECTABLE = 4;

/** Edit distance counting a swap of two neighbouring letters as one edit (optimal string alignment). */
function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (before[j - 2] ?? 0) + 1);
      cur.push(d);
    }
    before = prev;
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** True for the common prefix, its short form, or a one-slip typo of it ("djnago", "djano"; not "mango"). */
export function isCommonPrefixWord(word: string): boolean {
  if (word === COMMON_PREFIX || word === 'dj') return true;
  return word.length >= COMMON_PREFIX.length - 1 && word.length <= COMMON_PREFIX.length + 1 && editDistance(word, COMMON_PREFIX) <= 1;
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
  const typed =
    lower
      .replace(/(?:^|\s)-[\p{L}\p{N}][\p{L}\p{N}_.-]*/gu, ' ')
      .match(WORD)
      ?.filter((w) => w !== 'or' && w.length <= MAX_TOKEN_LENGTH)
      .slice(0, MAX_TOKENS) ?? [];
  if (typed.length === 0 && excluded.size === 0) return null;
  // A misspelt prefix ("djnago") is read as the prefix itself, except inside quotes.
  const canonical = (w: string): string => (!quoted && w !== COMMON_PREFIX && w !== 'dj' && isCommonPrefixWord(w) ? COMMON_PREFIX : w);
  const positive = typed.map(canonical);
  const first = typed[0];
  const wanted = positive.length > 1 && first !== undefined && isCommonPrefixWord(first) ? positive.slice(1) : positive;

  // websearch_to_tsquery reads "django-rest" as one compound lexeme that slugs like django-rest-framework lack.
  // Inside quotes the compound stays whole: the phrase must line up with the document's own positions.
  let websearch = lower
    .split('"')
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/([\p{L}\p{N}])[-_./:+@]+(?=[\p{L}\p{N}])/gu, '$1 ')))
    .join('"');
  if (!quoted && wanted !== positive && first !== undefined)
    websearch = websearch.replace(new RegExp(`(^|\\s)${first}(\\s|$)`, 'u'), '$1$2');
  websearch = websearch.replace(WORD, canonical).trim();
  const last = wanted[wanted.length - 1];
  const prefix = !quoted && last !== undefined && last.length >= 3 ? [...wanted.slice(0, -1), `${last}:*`].join(' & ') : null;
  const fuzzyText = wanted.join(' ');
  return {
    text,
    websearch: (websearch.match(WORD) ?? []).length > 0 ? websearch : null,
    prefix,
    prefixAnywhere: prefix !== null && (last?.length ?? 0) >= MIN_CORRECTABLE,
    exclusions: excluded.size > 0 ? [...excluded].slice(0, MAX_TOKENS).join(' or ') : null,
    fuzzy: fuzzyText.length >= 3 ? fuzzyText : null,
    fuzzyFull: positive.join(' ').length >= 3 ? positive.join(' ') : null,
    exact: wanted.join('-'),
    dense: wanted.length > 0 && wanted.every((w) => isCommonPrefixWord(w) || (w.length >= 2 && COMMON_PREFIX.startsWith(w))),
    words: wanted,
    correctable: quoted
      ? []
      : [...new Set(wanted)].filter(
          (w) => w.length >= MIN_CORRECTABLE && w.length <= MAX_TOKEN_LENGTH && /\p{L}/u.test(w) && !isCommonPrefixWord(w),
        ),
    corrected: null,
    quoted,
    anyWords: null,
  };
}

/** A known word of the index that looks like a query word, and how many documents hold it. */
export interface TermCandidate {
  readonly term: string;
  readonly ndoc: number;
}

/** How many edits a correction may make: one for words of up to 5 characters, two for longer ones. */
function maxEdits(word: string): number {
  return word.length <= 5 ? 1 : 2;
}

/**
 * The correction of a word among look-alike known words: the fewest edits (a swap of neighbours is one), then the
 * word more documents hold; null when none is within reach.
 */
export function chooseCorrection(word: string, candidates: readonly TermCandidate[]): string | null {
  let best: { term: string; edits: number; ndoc: number } | null = null;
  for (const c of candidates) {
    if (c.term === word) return null;
    const edits = editDistance(word, c.term);
    if (edits > maxEdits(word)) continue;
    if (
      best === null ||
      edits < best.edits ||
      (edits === best.edits && (c.ndoc > best.ndoc || (c.ndoc === best.ndoc && c.term < best.term)))
    )
      best = { term: c.term, edits, ndoc: c.ndoc };
  }
  return best?.term ?? null;
}

/**
 * The query widened by spelling corrections (word -> known word): documents match the words as typed or as
 * corrected, in the full text and the name prefixes alike. The typed words keep their own exact and look-alike tests.
 */
export function withCorrections(p: ParsedQuery, fixes: ReadonlyMap<string, string>): ParsedQuery {
  const useful = [...fixes].filter(([from, to]) => from !== to && p.correctable.includes(from));
  if (useful.length === 0) return p;
  const map = new Map(useful);
  const fix = (s: string): string => s.replace(WORD, (w) => map.get(w.toLowerCase()) ?? w);
  return {
    ...p,
    websearch: p.websearch !== null ? `${p.websearch} or ${fix(p.websearch)}` : null,
    prefix: p.prefix !== null ? `(${p.prefix}) | (${fix(p.prefix)})` : null,
    corrected: fix(p.text),
  };
}
