import { describe, expect, it } from 'vitest';
import { PageCache } from './page-cache.js';

describe('PageCache', () => {
  it('returns fresh entries, forgets expired ones and evicts the oldest when full', async () => {
    const c = new PageCache(2);
    c.set('a', 'A', 60_000);
    c.set('b', 'B', 1);
    expect(c.get('a')?.toString()).toBe('A');
    await new Promise((r) => setTimeout(r, 5));
    expect(c.get('b')).toBeUndefined();
    c.set('b', 'B', 60_000);
    c.set('c', 'C', 60_000);
    expect(c.get('a')).toBeUndefined();
    expect(c.get('c')?.toString()).toBe('C');
    c.clear();
    expect(c.get('c')).toBeUndefined();
  });
});
