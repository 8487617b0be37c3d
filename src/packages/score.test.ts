import { describe, expect, it } from 'vitest';
import { computeScore, monthsBetween } from './score.js';

const NOW = '2026-03-15T12:00:00.000000Z';

describe('monthsBetween (relativedelta years*12 + months)', () => {
  it('counts whole calendar months only', () => {
    expect(monthsBetween('2026-02-15T12:00:00Z', NOW)).toBe(1);
    expect(monthsBetween('2026-02-15T12:00:00.000001Z', NOW)).toBe(0);
    expect(monthsBetween('2025-03-15T12:00:00Z', NOW)).toBe(12);
    expect(monthsBetween('2024-12-16T00:00:00Z', NOW)).toBe(14);
  });
  it('clips month ends the way relativedelta does', () => {
    expect(monthsBetween('2026-01-31T00:00:00Z', '2026-02-28T23:59:59Z')).toBe(0);
    expect(monthsBetween('2026-01-31T00:00:00Z', '2026-03-31T00:00:00Z')).toBe(2);
  });
  it('is negative for a date in the future', () => {
    expect(monthsBetween('2026-07-20T00:00:00Z', NOW)).toBe(-4);
  });
});

describe('computeScore (reference §5)', () => {
  it('a fresh Python 3 package keeps its stars', () => {
    const r = computeScore({ stars: 500, lastCommitDate: '2026-03-01T00:00:00Z', supportsPython3: true }, NOW);
    expect(r.score).toBe(500);
    expect(r.monthsSinceCommit).toBe(0);
  });
  it('loses a tenth of the stars per full 3 months without a commit', () => {
    // 14 months: floor(14/3) = 4, 4 * 1000 / 10 = 400.
    expect(computeScore({ stars: 1000, lastCommitDate: '2025-01-10T00:00:00Z', supportsPython3: true }, NOW).score).toBe(600);
    // 2 months: floor(2/3) = 0, no penalty.
    expect(computeScore({ stars: 1000, lastCommitDate: '2026-01-10T00:00:00Z', supportsPython3: true }, NOW).score).toBe(1000);
  });
  it('a missing commit date costs a tenth of the stars', () => {
    expect(computeScore({ stars: 333, lastCommitDate: null, supportsPython3: true }, NOW).score).toBe(299); // int(333 - 33.3)
  });
  it('without Python 3 (false or unknown) loses 30% of the stars, at most 1000', () => {
    expect(computeScore({ stars: 100, lastCommitDate: '2026-03-01T00:00:00Z', supportsPython3: false }, NOW).score).toBe(70);
    expect(computeScore({ stars: 100, lastCommitDate: '2026-03-01T00:00:00Z', supportsPython3: null }, NOW).score).toBe(70);
    expect(computeScore({ stars: 10_000, lastCommitDate: '2026-03-01T00:00:00Z', supportsPython3: false }, NOW).score).toBe(9000);
  });
  it('truncates toward zero like int() and floors at -500', () => {
    // 7 stars, null date, no py3: 7 - 0.7 - 2.1 = 4.2 -> 4.
    expect(computeScore({ stars: 7, lastCommitDate: null, supportsPython3: null }, NOW).score).toBe(4);
    // 15 years stale: floor(180/3) = 60 -> 60 * 1620 / 10 = 9720 penalty; 1620 - 9720 - 486 = -8586 -> -500.
    const r = computeScore({ stars: 1620, lastCommitDate: '2011-03-14T16:49:53Z', supportsPython3: null }, NOW);
    expect(r.monthsSinceCommit).toBe(180);
    expect(r.score).toBe(-500);
    expect(r.breakdown.map((l) => l.rule)).toEqual(['stars', 'update_penalty', 'python3_penalty', 'floor']);
    expect(r.breakdown[1]?.points).toBe(-9720);
    expect(r.breakdown[2]?.points).toBeCloseTo(-486, 9);
  });
  it('a negative raw score truncates toward zero (int(-3.5) = -3)', () => {
    // 5 stars, 3 months: 5 - 0.5 - 1.5 = 3; 5 stars, 9 months: 5 - 1.5 - 1.5 = 2; 10 stars 45 months: 10 - 15 - 3 = -8.
    expect(computeScore({ stars: 10, lastCommitDate: '2022-06-15T12:00:00Z', supportsPython3: false }, NOW).score).toBe(-8);
    expect(computeScore({ stars: 5, lastCommitDate: '2025-06-15T12:00:00Z', supportsPython3: false }, NOW).score).toBe(2);
  });
  it('a future commit date (clock skew) follows the formula: a negative penalty', () => {
    expect(computeScore({ stars: 100, lastCommitDate: '2026-07-20T00:00:00Z', supportsPython3: true }, NOW).score).toBe(120); // floor(-4/3) = -2
  });
  it('zero stars scores zero', () => {
    expect(computeScore({ stars: 0, lastCommitDate: null, supportsPython3: null }, NOW).score).toBe(0);
  });
});
