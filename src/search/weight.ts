import { timestampToMillis } from '../lib/datetime.js';

/** What a package's search weight is computed from (Django Packages' searchv3 rules). */
export interface WeightInput {
  readonly deprecated: boolean;
  readonly description: string;
  readonly downloads: number;
  readonly forks: number;
  readonly stars: number;
  readonly usage: number;
  readonly lastCommitDate: string | null;
  readonly lastReleaseDate: string | null;
}

/** The eight rule names, in the original's order. */
export type WeightRule = 'deprecated' | 'description' | 'downloads' | 'forks' | 'last_updated' | 'recent_release' | 'usage' | 'watchers';

/** One rule's points (0 to 20) and why. */
export interface WeightLine {
  readonly rule: WeightRule;
  readonly points: number;
  readonly max: number;
  readonly reason: string;
}

/** A weight (0 to 100) and its reasons. */
export interface WeightResult {
  readonly weight: number;
  readonly total: number;
  readonly max: number;
  readonly breakdown: readonly WeightLine[];
}

const RULE_MAX = 20;
const RULE_COUNT = 8;
const DAY_MS = 86_400_000;

function ageDays(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const ms = timestampToMillis(value);
  return Number.isNaN(ms) ? null : (nowMs - ms) / DAY_MS;
}

function lastUpdatedPoints(days: number | null): number {
  if (days === null) return 0;
  if (days < 90) return 20;
  if (days < 182) return 10;
  if (days < 365) return 5;
  return 0;
}

/** The search weight: 8 rules of at most 20 points each, `int(sum / 160 * 100)`, with a line per rule. */
export function computeSearchWeight(input: WeightInput, now: string): WeightResult {
  const nowMs = timestampToMillis(now);
  const commitDays = ageDays(input.lastCommitDate, nowMs);
  const releaseDays = ageDays(input.lastReleaseDate, nowMs);
  const downloads = Math.min(Math.trunc(input.downloads / 1000), RULE_MAX);
  const lines: WeightLine[] = [
    { rule: 'deprecated', points: input.deprecated ? 0 : 20, max: RULE_MAX, reason: input.deprecated ? 'deprecated' : 'not deprecated' },
    {
      rule: 'description',
      points: input.description.trim() === '' ? 0 : 20,
      max: RULE_MAX,
      reason: input.description.trim() === '' ? 'no description' : 'has a description',
    },
    {
      rule: 'downloads',
      points: downloads,
      max: RULE_MAX,
      reason: `${input.downloads} downloads last month: 1 point per 1,000, at most 20`,
    },
    { rule: 'forks', points: Math.min(input.forks, RULE_MAX), max: RULE_MAX, reason: `${input.forks} forks: 1 point each, at most 20` },
    {
      rule: 'last_updated',
      points: lastUpdatedPoints(commitDays),
      max: RULE_MAX,
      reason:
        commitDays === null ? 'no known commit' : `last commit ${Math.floor(commitDays)} days ago: 20 under 90, 10 under 182, 5 under 365`,
    },
    {
      rule: 'recent_release',
      points: releaseDays !== null && releaseDays < 365 ? 20 : 0,
      max: RULE_MAX,
      reason: releaseDays === null ? 'no known release' : `last release ${Math.floor(releaseDays)} days ago: 20 within a year`,
    },
    { rule: 'usage', points: Math.min(input.usage, RULE_MAX), max: RULE_MAX, reason: `${input.usage} users: 1 point each, at most 20` },
    { rule: 'watchers', points: Math.min(input.stars, RULE_MAX), max: RULE_MAX, reason: `${input.stars} stars: 1 point each, at most 20` },
  ];
  const total = lines.reduce((sum, l) => sum + Math.max(0, l.points), 0);
  const max = RULE_COUNT * RULE_MAX;
  return { weight: Math.trunc((total / max) * 100), total, max, breakdown: lines };
}

/** What a grid's weight is computed from. */
export interface GridWeightInput {
  /** The best search weight among the grid's packages (0 with none). */
  readonly topPackageWeight: number;
  readonly isLocked: boolean;
  readonly header: boolean;
  readonly packageCount: number;
}

/** A grid weight and the steps that led to it. */
export interface GridWeightResult {
  readonly weight: number;
  readonly breakdown: readonly { readonly points: number; readonly reason: string }[];
}

/** The grid weight: the top package's weight less a sixth, and a sixth more for each of unlocked, not header, empty. */
export function computeGridWeight(input: GridWeightInput): GridWeightResult {
  const top = input.topPackageWeight;
  const inc = top / 6;
  const steps: { points: number; reason: string }[] = [
    { points: top, reason: `best package weight ${top}` },
    { points: -inc, reason: 'a sixth off every grid' },
  ];
  if (!input.isLocked) steps.push({ points: -inc, reason: 'not locked' });
  if (!input.header) steps.push({ points: -inc, reason: 'not on the home page' });
  if (input.packageCount === 0) steps.push({ points: -inc, reason: 'no packages' });
  const w = steps.reduce((sum, s) => sum + s.points, 0);
  return { weight: Math.trunc(w), breakdown: steps };
}
