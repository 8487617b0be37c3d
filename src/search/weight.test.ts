import { describe, expect, it } from 'vitest';
import { computeGridWeight, computeSearchWeight, type WeightInput } from './weight.js';

const NOW = '2026-03-15T12:00:00Z';
const FULL: WeightInput = {
  deprecated: false,
  description: 'A thing',
  downloads: 50_000,
  forks: 99,
  stars: 1000,
  usage: 30,
  lastCommitDate: '2026-03-01T00:00:00Z',
  lastReleaseDate: '2026-01-01T00:00:00Z',
};

function points(r: ReturnType<typeof computeSearchWeight>): Record<string, number> {
  return Object.fromEntries(r.breakdown.map((l) => [l.rule, l.points]));
}

describe('computeSearchWeight (8 rules, max 20 each)', () => {
  it('a package that maxes every rule weighs 100', () => {
    const r = computeSearchWeight(FULL, NOW);
    expect(r.total).toBe(160);
    expect(r.weight).toBe(100);
    expect(r.breakdown).toHaveLength(8);
  });
  it('an empty, deprecated package weighs 0', () => {
    const r = computeSearchWeight(
      { deprecated: true, description: '  ', downloads: 0, forks: 0, stars: 0, usage: 0, lastCommitDate: null, lastReleaseDate: null },
      NOW,
    );
    expect(r.weight).toBe(0);
    expect(Object.values(points(r))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });
  it('scores each rule by its own scale', () => {
    const r = computeSearchWeight(
      {
        ...FULL,
        downloads: 7_999,
        forks: 3,
        stars: 12,
        usage: 2,
        lastCommitDate: '2025-11-01T00:00:00Z',
        lastReleaseDate: '2024-01-01T00:00:00Z',
      },
      NOW,
    );
    expect(points(r)).toEqual({
      deprecated: 20,
      description: 20,
      downloads: 7,
      forks: 3,
      last_updated: 10,
      recent_release: 0,
      usage: 2,
      watchers: 12,
    });
    // 74 / 160 * 100 = 46.25 -> 46
    expect(r.weight).toBe(46);
  });
  it('last updated: 20 under 90 days, 10 under 182, 5 under 365, then 0', () => {
    const at = (d: string) => points(computeSearchWeight({ ...FULL, lastCommitDate: d }, NOW)).last_updated;
    expect(at('2026-01-01T00:00:00Z')).toBe(20); // 73 days
    expect(at('2025-12-01T00:00:00Z')).toBe(10); // 104 days
    expect(at('2025-06-01T00:00:00Z')).toBe(5); // 287 days
    expect(at('2025-03-01T00:00:00Z')).toBe(0); // 379 days
  });
  it('a typical seeded 2011 package: 39', () => {
    // Not deprecated, described, no downloads, 5 forks, stale, no recent release, 0 users, 21 stars: 20+20+0+5+0+0+0+20 = 65 -> 40.
    const r = computeSearchWeight(
      {
        deprecated: false,
        description: 'x',
        downloads: 0,
        forks: 5,
        stars: 21,
        usage: 0,
        lastCommitDate: '2011-01-01T00:00:00Z',
        lastReleaseDate: null,
      },
      NOW,
    );
    expect(r.total).toBe(65);
    expect(r.weight).toBe(40);
  });
});

describe('computeGridWeight', () => {
  it('a locked header grid with packages keeps five sixths of its best package', () => {
    expect(computeGridWeight({ topPackageWeight: 60, isLocked: true, header: true, packageCount: 3 }).weight).toBe(50);
  });
  it('loses a sixth more for each of: unlocked, not header, empty', () => {
    expect(computeGridWeight({ topPackageWeight: 60, isLocked: false, header: true, packageCount: 3 }).weight).toBe(40);
    expect(computeGridWeight({ topPackageWeight: 60, isLocked: false, header: false, packageCount: 3 }).weight).toBe(30);
    expect(computeGridWeight({ topPackageWeight: 53, isLocked: false, header: false, packageCount: 3 }).weight).toBe(26); // 53 - 3*8.833 = 26.5
    expect(computeGridWeight({ topPackageWeight: 0, isLocked: false, header: false, packageCount: 0 }).weight).toBe(0);
  });
});
