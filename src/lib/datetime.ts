/**
 * Exact timestamps. Values travel as strings with microseconds and never through JavaScript Date,
 * which keeps only milliseconds. PostgreSQL sessions run in UTC, so the database hands us
 * "2026-02-15 16:07:46.826281+00"; we print it in TIME_ZONE the way Django REST framework does.
 */

/** An instant: whole seconds since the epoch plus a microsecond fraction. */
export interface Instant {
  readonly seconds: number;
  readonly micros: number;
}

const PG_OR_ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?(?::?\d{2})?)?$/;

function fractionToMicros(frac: string | undefined): number {
  if (!frac) return 0;
  return Number((frac + '000000').slice(0, 6));
}

function offsetSeconds(tz: string): number {
  if (tz === 'Z' || tz === 'z') return 0;
  const sign = tz.startsWith('-') ? -1 : 1;
  const digits = tz.slice(1).replace(/:/g, '');
  const h = Number(digits.slice(0, 2));
  const m = Number(digits.slice(2, 4) || '0');
  const s = Number(digits.slice(4, 6) || '0');
  return sign * (h * 3600 + m * 60 + s);
}

/** Parses an ISO 8601 or PostgreSQL timestamp with an offset; naive values are read in `naiveZone`. */
export function parseTimestamp(text: string, naiveZone = 'UTC'): Instant | null {
  const m = PG_OR_ISO.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? '0')) / 1000;
  if (!Number.isFinite(wall)) return null;
  const micros = fractionToMicros(frac);
  if (tz !== undefined) return { seconds: wall - offsetSeconds(tz), micros };
  return { seconds: wallToUtcSeconds(wall, naiveZone), micros };
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

// Offsets only change on quarter-hour boundaries, so cache them per zone and 15-minute slot.
const offsetCache = new Map<string, number>();

/** The zone's UTC offset in seconds at an instant (e.g. -18000 for New York in winter). */
export function zoneOffsetSeconds(utcSeconds: number, tz: string): number {
  if (tz === 'UTC' || tz === 'Etc/UTC') return 0;
  const slot = Math.floor(utcSeconds / 900);
  const key = `${tz}|${slot}`;
  const hit = offsetCache.get(key);
  if (hit !== undefined) return hit;
  const parts = formatterFor(tz).formatToParts(new Date(slot * 900 * 1000));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? '0');
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) / 1000;
  const off = wall - slot * 900;
  if (offsetCache.size > 50_000) offsetCache.clear();
  offsetCache.set(key, off);
  return off;
}

function wallToUtcSeconds(wall: number, tz: string): number {
  // Two passes settle the offset except inside a DST gap, where the later offset wins (as zoneinfo's fold=0).
  let guess = wall - zoneOffsetSeconds(wall, tz);
  guess = wall - zoneOffsetSeconds(guess, tz);
  return guess;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** Formats an instant in `tz` as Python's isoformat(): microseconds only when non-zero, "Z" for a zero offset. */
export function formatInstant(instant: Instant, tz: string): string {
  const off = zoneOffsetSeconds(instant.seconds, tz);
  const d = new Date((instant.seconds + off) * 1000);
  let out =
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  if (instant.micros !== 0) out += '.' + pad(instant.micros, 6);
  if (off === 0) return out + 'Z';
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  out += `${sign}${pad(Math.floor(abs / 3600))}:${pad(Math.floor((abs % 3600) / 60))}`;
  if (abs % 60 !== 0) out += ':' + pad(abs % 60);
  return out;
}

/** Formats a database timestamp string in `tz`; null stays null. */
export function formatTimestamp(value: string | null, tz: string): string | null {
  if (value === null) return null;
  const instant = parseTimestamp(value);
  if (!instant) return value;
  return formatInstant(instant, tz);
}

/** A UTC ISO string with microseconds, safe to hand to PostgreSQL as a timestamptz literal. */
export function toUtcIso(instant: Instant): string {
  const d = new Date(instant.seconds * 1000);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(instant.micros, 6)}Z`
  );
}

/** Normalises an incoming timestamp (with offset, or naive in `naiveZone`) to an exact UTC string, or null if invalid. */
export function normalizeTimestamp(text: string, naiveZone = 'UTC'): string | null {
  const i = parseTimestamp(text, naiveZone);
  return i ? toUtcIso(i) : null;
}

/** Milliseconds since the epoch, for HTTP dates and age arithmetic (precision beyond ms is not needed there). */
export function timestampToMillis(value: string): number {
  const i = parseTimestamp(value);
  return i ? i.seconds * 1000 + Math.floor(i.micros / 1000) : NaN;
}

/** The current time as an exact UTC string (microseconds from the high-resolution clock). */
export function nowIso(): string {
  const ns = process.hrtime.bigint();
  const base = BigInt(Date.now()) * 1000n + ((ns / 1000n) % 1000n);
  return toUtcIso({ seconds: Number(base / 1_000_000n), micros: Number(base % 1_000_000n) });
}
