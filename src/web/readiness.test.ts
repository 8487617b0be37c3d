import { describe, expect, it } from 'vitest';
import { readinessOf } from './readiness.js';

describe('readinessOf', () => {
  const P = 'Framework :: Django';
  it('is yes when the cycle is declared', () => expect(readinessOf([P, `${P} :: 5.2`], P, '5.2')).toBe('yes'));
  it('is no when other versions are listed but not this one', () =>
    expect(readinessOf([P, `${P} :: 4.2`, `${P} :: 5.0`], P, '5.2')).toBe('no'));
  it('is maybe without version classifiers', () => expect(readinessOf([P], P, '5.2')).toBe('maybe'));
  it('is maybe with null classifiers', () => expect(readinessOf(null, P, '5.2')).toBe('maybe'));
});
