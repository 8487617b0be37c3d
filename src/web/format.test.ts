import { describe, expect, it } from 'vitest';
import { formatCount } from './format.js';

describe('formatCount', () => {
  it('prints integers with en-US thousands separators', () => {
    for (const n of [0, 7, 999, 1000, 65536, 1234567, 123456789012, -50, -1000, -1234567])
      expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
  });
  it('falls back to the locale formatter for fractions', () => {
    expect(formatCount(1234.5)).toBe('1,234.5');
  });
});
