import { describe, expect, it } from 'vitest';
import { splitMarked } from './search.js';

describe('splitMarked', () => {
  it('splits marked text into plain and marked pieces', () => {
    expect(splitMarked('A [slick] [ORM] cache', '[', ']')).toEqual([
      { text: 'A ', mark: false },
      { text: 'slick', mark: true },
      { text: ' ', mark: false },
      { text: 'ORM', mark: true },
      { text: ' cache', mark: false },
    ]);
    expect(splitMarked('[all]', '[', ']')).toEqual([{ text: 'all', mark: true }]);
  });

  it('is null when nothing is marked, and ignores a stray end mark', () => {
    expect(splitMarked('nothing here', '[', ']')).toBeNull();
    expect(splitMarked('', '[', ']')).toBeNull();
    expect(splitMarked('a ] b', '[', ']')).toBeNull();
  });
});
