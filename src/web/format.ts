import { parseTimestamp, zoneOffsetSeconds } from '../lib/datetime.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A database timestamp as "4 Dec 2026" in `tz` (Django's "j M Y"); '' for null. */
export function formatDay(value: string | null, tz: string): string {
  if (value === null) return '';
  const i = parseTimestamp(value);
  if (!i) return '';
  const d = new Date((i.seconds + zoneOffsetSeconds(i.seconds, tz)) * 1000);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()] ?? ''} ${d.getUTCFullYear()}`;
}

/** A database timestamp as an ISO date-time for <time datetime>. */
export function isoDate(value: string | null): string {
  if (value === null) return '';
  const i = parseTimestamp(value);
  return i ? new Date(i.seconds * 1000).toISOString() : '';
}

/** An integer with thousands separators (as en-US prints it). */
export function formatCount(n: number): string {
  // toLocaleString builds a number formatter on every call; a grid page formats hundreds of counts.
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${digits}` : digits;
}

/** Text cut to `max` characters with an ellipsis (the original truncates grid descriptions to 100). */
export function truncate(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max - 1).trimEnd() + '…';
}

const DEV_STATUS = ['Unknown', 'Planning', 'Pre-Alpha', 'Alpha', 'Beta', 'Production/Stable', 'Mature', 'Inactive'];

/** The trove development status label for a version's code. */
export function developmentStatusLabel(code: number | null): string {
  return DEV_STATUS[code ?? 0] ?? 'Unknown';
}
