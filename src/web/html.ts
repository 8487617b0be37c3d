// Small pure helpers for the few places that build HTML strings by hand (cell markup, feeds, SVG text).

/** Escapes text for HTML element content and quoted attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c] ?? c);
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** True for an absolute http(s) URL: the only kind of user URL we ever put in an href. */
export function isSafeUrl(url: string): boolean {
  return /^https?:\/\/[^\s<>"']+$/i.test(url.trim());
}

/** A user URL fit for href: http(s) kept, a bare host gets http:// (the original's pretty_url), anything else '#'. */
export function safeHref(url: string | null | undefined): string {
  const u = (url ?? '').trim();
  if (u === '') return '#';
  if (isSafeUrl(u)) return u;
  if (/^[a-z0-9.-]+\.[a-z]{2,}(\/[^\s<>"']*)?$/i.test(u)) return `http://${u}`;
  return '#';
}
