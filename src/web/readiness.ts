// Readiness: which top packages declare support for a Django or Python release, from their trove classifiers.
// The original reads release cycles from endoflife.date; packgrid keeps the current cycles here (no outbound call).

/** A product whose releases we check. */
export interface ReadinessProduct {
  slug: string;
  name: string;
  /** Every candidate carries all of these. */
  base: string[];
  /** Version classifiers are `${prefix} :: ${cycle}`. */
  prefix: string;
  cycles: string[];
}

/** The products and cycles shown on /readiness/. */
export const READINESS_PRODUCTS: readonly ReadinessProduct[] = [
  {
    slug: 'django',
    name: 'Django',
    base: ['Framework :: Django'],
    prefix: 'Framework :: Django',
    cycles: ['6.0', '5.2', '5.1', '5.0', '4.2'],
  },
  {
    slug: 'python',
    name: 'Python',
    base: ['Programming Language :: Python :: 3'],
    prefix: 'Programming Language :: Python',
    cycles: ['3.14', '3.13', '3.12', '3.11', '3.10', '3.9'],
  },
];

/** yes: declares the cycle; no: declares other versions but not this one; maybe: declares no versions. */
export type Readiness = 'yes' | 'no' | 'maybe';

/** The readiness of one package for one cycle (the original's rule). */
export function readinessOf(classifiers: readonly string[] | null, prefix: string, cycle: string): Readiness {
  const list = classifiers ?? [];
  if (list.includes(`${prefix} :: ${cycle}`)) return 'yes';
  const versions = list.filter((c) => c.startsWith(prefix + ' :: ') && /^\d/.test(c.slice(prefix.length + 4)));
  return versions.length > 1 ? 'no' : 'maybe';
}
