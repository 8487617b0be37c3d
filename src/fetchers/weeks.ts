// Weekly commit histograms for hosts without a participation endpoint (reference §2 "Meaning of
// commits_over_52"): Monday-based week index (date.toordinal()-1)//7, index 51 = the current week.

const DAY_MS = 86_400_000;
// Python's date(1970,1,1).toordinal(); keeps our week numbers identical to the original's.
const EPOCH_ORDINAL = 719_163;

/** Monday-based week number of an instant, computed on its UTC date as the original does. */
export function weekNumber(date: Date): number {
  const ordinal = Math.floor(date.getTime() / DAY_MS) + EPOCH_ORDINAL;
  return Math.floor((ordinal - 1) / 7);
}

/** Start (Monday 00:00 UTC) of the oldest week in the 52-week window ending with the week of `now`. */
export function windowStart(now: Date): Date {
  const oldestWeek = weekNumber(now) - 51;
  return new Date((oldestWeek * 7 + 1 - EPOCH_ORDINAL) * DAY_MS);
}

/** Buckets commit dates into 52 weekly counts, oldest first; dates outside the window are dropped. */
export function bucketCommits(dates: Iterable<string>, now: Date, base?: readonly number[]): number[] {
  const weeks = base === undefined ? new Array<number>(52).fill(0) : [...base];
  const current = weekNumber(now);
  for (const iso of dates) {
    const ms = Date.parse(iso);
    if (Number.isNaN(ms)) continue;
    const index = 51 - (current - weekNumber(new Date(ms)));
    if (index >= 0 && index <= 51) weeks[index] = (weeks[index] ?? 0) + 1;
  }
  return weeks;
}

/** Shifts a stored 52-week histogram left by the weeks elapsed since `anchorWeek`, padding new weeks with zeros. */
export function shiftWeeks(weeks: readonly number[], anchorWeek: number, now: Date): number[] {
  const elapsed = weekNumber(now) - anchorWeek;
  if (elapsed <= 0) return [...weeks];
  if (elapsed >= 52) return new Array<number>(52).fill(0);
  return [...weeks.slice(elapsed), ...new Array<number>(elapsed).fill(0)];
}

/** Validates an unknown value as a 52-int histogram. */
export function asWeeks(value: unknown): number[] | null {
  if (!Array.isArray(value) || value.length !== 52) return null;
  const out: number[] = [];
  for (const v of value) {
    if (typeof v !== 'number' || !Number.isInteger(v)) return null;
    out.push(v);
  }
  return out;
}

/** Where an incremental histogram update starts: after the last fetch when it is inside the window, else the window start. */
export function histogramPlan(
  prevWeeks: readonly number[] | null,
  prevAnchor: number | null,
  prevFetchedAt: string | null,
  now: Date,
): { since: Date; base: number[] } {
  const start = windowStart(now);
  const at = prevFetchedAt === null ? Number.NaN : Date.parse(prevFetchedAt);
  if (prevWeeks !== null && prevAnchor !== null && !Number.isNaN(at) && at >= start.getTime() && at <= now.getTime()) {
    // As the original's base_handler: shift the stored weeks, then add only commits after the last fetch (+1 s).
    return { since: new Date(at + 1000), base: shiftWeeks(prevWeeks, prevAnchor, now) };
  }
  return { since: start, base: new Array<number>(52).fill(0) };
}
