import type { Transaction } from 'kysely';
import type { Database, Db } from '../db/index.js';
import { parseTimestamp, type Instant } from '../lib/datetime.js';
import { reindexPackages } from '../search/search.service.js';
import { loadScoreInputs, storeScores } from './score.repository.js';

/** What the package score is computed from. Timestamps are database strings. */
export interface ScoreInput {
  readonly stars: number;
  readonly lastCommitDate: string | null;
  readonly supportsPython3: boolean | null;
}

/** One line of "why this score": a named contribution with the numbers behind it. */
export interface ScoreLine {
  readonly rule: 'stars' | 'update_penalty' | 'python3_penalty' | 'floor';
  readonly points: number;
  readonly reason: string;
}

/** A score and its reasons. `score` is what the database stores. */
export interface ScoreResult {
  readonly score: number;
  /** Whole months since the last commit as dateutil's relativedelta counts them; null without a commit date. */
  readonly monthsSinceCommit: number | null;
  readonly breakdown: readonly ScoreLine[];
}

const SCORE_FLOOR = -500;
const PY3_PENALTY_CAP = 1000;

function utcParts(i: Instant): [number, number, number, number] {
  const d = new Date(i.seconds * 1000);
  // Day, then time of day in microseconds, decide whether the last month is complete (relativedelta's rule).
  const tod = ((d.getUTCHours() * 60 + d.getUTCMinutes()) * 60 + d.getUTCSeconds()) * 1_000_000 + i.micros;
  return [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), tod];
}

function fullMonths(from: Instant, to: Instant): number {
  const [y1, m1, d1, t1] = utcParts(from);
  const [y2, m2, d2, t2] = utcParts(to);
  let months = (y2 - y1) * 12 + (m2 - m1);
  if (d2 < d1 || (d2 === d1 && t2 < t1)) months -= 1;
  return months;
}

function isBefore(a: Instant, b: Instant): boolean {
  return a.seconds < b.seconds || (a.seconds === b.seconds && a.micros < b.micros);
}

/** `relativedelta(now, then).years * 12 + .months`: whole calendar months, negative when `then` is in the future. */
export function monthsBetween(then: string, now: string): number | null {
  const a = parseTimestamp(then);
  const b = parseTimestamp(now);
  if (!a || !b) return null;
  return isBefore(b, a) ? -fullMonths(b, a) : fullMonths(a, b);
}

/**
 * The package score, exactly as Django Packages' `_calculate_score`: stars minus a staleness penalty of a tenth of
 * the stars per three months without a commit, minus 30% of the stars (at most 1000) without Python 3, floored at -500.
 */
export function computeScore(input: ScoreInput, now: string): ScoreResult {
  const stars = input.stars;
  const months = input.lastCommitDate === null ? null : monthsBetween(input.lastCommitDate, now);
  // Same operation order as the Python (`floor(months / 3) * stars / 10`) so the floats round identically.
  const updatePenalty = months === null ? stars / 10 : (Math.floor(months / 3) * stars) / 10;
  const py3Penalty = input.supportsPython3 === true ? 0 : Math.min(stars * 0.3, PY3_PENALTY_CAP);
  const raw = Math.trunc(stars - updatePenalty - py3Penalty);
  const score = Math.max(SCORE_FLOOR, raw);
  const breakdown: ScoreLine[] = [
    { rule: 'stars', points: stars, reason: `${stars} stars` },
    {
      rule: 'update_penalty',
      points: -updatePenalty,
      reason:
        months === null
          ? 'no known commit date: minus a tenth of the stars'
          : `${months} months since the last commit: minus a tenth of the stars for each full 3 months (${Math.floor(months / 3)})`,
    },
    {
      rule: 'python3_penalty',
      points: -py3Penalty,
      reason:
        input.supportsPython3 === true
          ? 'supports Python 3: no penalty'
          : 'Python 3 support not shown: minus 30% of the stars, at most 1000',
    },
  ];
  if (raw < SCORE_FLOOR) breakdown.push({ rule: 'floor', points: SCORE_FLOOR - raw, reason: `scores never go below ${SCORE_FLOOR}` });
  return { score, monthsSinceCommit: months, breakdown };
}

/** Computes and stores the score of the given packages without touching their search documents. */
export async function storeComputedScores(
  db: Db | Transaction<Database>,
  ids: readonly number[] | undefined,
  now: string,
): Promise<number[]> {
  const done: number[] = [];
  for await (const batch of loadScoreInputs(db, ids)) {
    const values = batch.map((row) => ({
      id: row.id,
      score: computeScore({ stars: row.repo_watchers, lastCommitDate: row.last_commit_date, supportsPython3: row.supports_python3 }, now)
        .score,
    }));
    await storeScores(db, values);
    for (const v of values) done.push(v.id);
  }
  return done;
}

/**
 * Recomputes and stores the score of the given packages (all when `ids` is omitted), then refreshes their search
 * weight and search documents, in the caller's transaction when one is passed. Returns how many were updated.
 */
export async function recomputeScores(db: Db | Transaction<Database>, ids?: readonly number[], now?: string): Promise<number> {
  const at = now ?? new Date().toISOString();
  const done = await storeComputedScores(db, ids, at);
  await reindexPackages(db, done, at);
  return done.length;
}
