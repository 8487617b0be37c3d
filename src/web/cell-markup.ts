import { escapeHtml } from './html.js';

// The original's grid cell rules (grid_tags.py::style_element, then |urlize|linebreaksbr), re-done as one pure
// function that returns escaped HTML: keywords become icons, URLs are linked, newlines become <br>.

const YES = ['check', 'yes', 'good', '+1', '+'];
const NO = ['bad', 'negative', 'evil', 'sucks', 'no', '-1', '-'];

/** The check icon markup (short: a big grid has thousands; labelled for screen readers). */
export const CHECK_ICON = '<i class="y" role="img" aria-label="yes">✔</i>';
/** The cross icon markup. */
export const CROSS_ICON = '<i class="n" role="img" aria-label="no">✘</i>';

// Compiled once: a big grid renders thousands of cells.
const MANY = { '+': /^\+([3-9]|[1-9]\d+)$/, '-': /^-([3-9]|[1-9]\d+)$/ } as const;
const RUN = { '+': /^\+{3,}$/, '-': /^-{3,}$/ } as const;

function repeatCount(t: string, sign: '+' | '-'): number {
  if (t === `${sign}2` || t === sign.repeat(2)) return 2;
  if (MANY[sign].test(t) || RUN[sign].test(t)) return 3;
  return 0;
}

function iconsFor(text: string): string | null {
  const t = text.trim().toLowerCase();
  if (YES.includes(t)) return CHECK_ICON;
  if (NO.includes(t)) return CROSS_ICON;
  const plus = repeatCount(t, '+');
  if (plus > 0) return CHECK_ICON.repeat(plus);
  const minus = repeatCount(t, '-');
  if (minus > 0) return CROSS_ICON.repeat(minus);
  return null;
}

const URL_RE = /\b(https?:\/\/[^\s<>"']+|www\.[^\s<>"']+)/gi;

// Trailing punctuation is not part of a URL ("see http://x.org.").
function splitTrailing(url: string): [string, string] {
  const m = /[.,;:!?)\]]+$/.exec(url);
  return m ? [url.slice(0, m.index), m[0]] : [url, ''];
}

function linkify(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(URL_RE)) {
    const start = m.index;
    const [url, trail] = splitTrailing(m[0]);
    out += escapeHtml(text.slice(last, start));
    const href = url.toLowerCase().startsWith('www.') ? `http://${url}` : url;
    out += `<a href="${escapeHtml(href)}" rel="nofollow noopener">${escapeHtml(url)}</a>${escapeHtml(trail)}`;
    last = start + m[0].length;
  }
  return out + escapeHtml(text.slice(last));
}

function withBreaks(html: string): string {
  return html.replace(/\r\n|\r|\n/g, '<br>');
}

/** Renders a grid cell's text as safe HTML using the original's markup rules. */
export function renderCellHtml(text: string): string {
  const whole = iconsFor(text);
  if (whole !== null) return whole;
  const trimmed = text.trim();
  // The original replaces a case-sensitive leading keyword with the icon plus &nbsp; (so "notes" is X + "tes").
  for (const [words, icon] of [
    [YES, CHECK_ICON],
    [NO, CROSS_ICON],
  ] as const) {
    for (const w of words) {
      if (w.length > 1 && trimmed.startsWith(w) && trimmed.length > w.length) {
        return icon + '&nbsp;' + withBreaks(linkify(trimmed.slice(w.length)));
      }
    }
  }
  return withBreaks(linkify(trimmed));
}
