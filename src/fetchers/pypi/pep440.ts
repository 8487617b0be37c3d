// A small PEP 440 specifier check, just enough to answer "does requires_python admit any of 3.0..3.14"
// the way packaging's SpecifierSet.contains(v, prereleases=True) does. Unparsable input returns null so the
// caller can fall back to classifiers, as the original does on InvalidSpecifier.

interface Version {
  epoch: number;
  release: number[];
  /** [phase, n]: a=0, b=1, rc=2; null for a final release. */
  pre: [number, number] | null;
  post: number | null;
  dev: number | null;
}

const VERSION_RE =
  /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|alpha|b|beta|rc|c|pre|preview)[-_.]?(\d*))?(?:(?:-(\d+))|(?:[-_.]?(post|rev|r)[-_.]?(\d*)))?(?:[-_.]?dev[-_.]?(\d*))?$/i;

function parseVersion(text: string): Version | null {
  const m = VERSION_RE.exec(text.trim());
  if (m === null) return null;
  const phase = m[3]?.toLowerCase();
  const pre: [number, number] | null =
    phase === undefined ? null : [phase.startsWith('a') ? 0 : phase.startsWith('b') ? 1 : 2, Number(m[4] ?? '0') || 0];
  const postRaw = m[5] ?? (m[6] !== undefined ? (m[7] ?? '0') : undefined);
  return {
    epoch: Number(m[1] ?? '0'),
    release: (m[2] ?? '0').split('.').map(Number),
    pre,
    post: postRaw === undefined ? null : Number(postRaw || '0'),
    dev: m[8] === undefined && !/dev/i.test(text) ? null : Number(m[8] ?? '0') || 0,
  };
}

function cmpRelease(a: readonly number[], b: readonly number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

function compare(a: Version, b: Version): number {
  if (a.epoch !== b.epoch) return Math.sign(a.epoch - b.epoch);
  const r = cmpRelease(a.release, b.release);
  if (r !== 0) return r;
  // Ordering within one release: dev < pre < final < post (PEP 440).
  const key = (v: Version): number[] => [
    v.pre === null ? (v.post === null && v.dev !== null ? -1 : 3) : v.pre[0],
    v.pre === null ? 0 : v.pre[1],
    v.post ?? -1,
    v.dev ?? Number.POSITIVE_INFINITY,
  ];
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.length; i++) {
    const x = ka[i] ?? 0;
    const y = kb[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

type Clause = (v: Version) => boolean;

function parseClause(raw: string): Clause | null {
  const m = /^\s*(~=|===|==|!=|<=|>=|<|>)\s*([^\s]+)\s*$/.exec(raw);
  if (m === null) return null;
  const op = m[1] ?? '';
  const text = m[2] ?? '';
  if (op === '===') return (v) => v.release.join('.') === text;
  if ((op === '==' || op === '!=') && text.endsWith('.*')) {
    const prefix = parseVersion(text.slice(0, -2));
    if (prefix === null || prefix.pre !== null || prefix.dev !== null || prefix.post !== null) return null;
    const matches = (v: Version): boolean =>
      v.epoch === prefix.epoch && cmpRelease(v.release.slice(0, prefix.release.length), prefix.release) === 0;
    return op === '==' ? matches : (v) => !matches(v);
  }
  const spec = parseVersion(text);
  if (spec === null) return null;
  switch (op) {
    case '==':
      return (v) => compare(v, spec) === 0;
    case '!=':
      return (v) => compare(v, spec) !== 0;
    case '<=':
      return (v) => compare(v, spec) <= 0;
    case '>=':
      return (v) => compare(v, spec) >= 0;
    case '<':
      return (v) => compare(v, spec) < 0;
    case '>':
      return (v) => compare(v, spec) > 0;
    case '~=': {
      // ~=X.Y.Z means >=X.Y.Z, ==X.Y.*; a single component is invalid.
      if (spec.release.length < 2) return null;
      const prefix = spec.release.slice(0, -1);
      return (v) => compare(v, spec) >= 0 && cmpRelease(v.release.slice(0, prefix.length), prefix) === 0;
    }
    default:
      return null;
  }
}

/** Parses a comma-separated specifier set into a predicate over version strings; null when invalid. */
export function parseSpecifierSet(spec: string): ((version: string) => boolean) | null {
  const parts = spec.split(',').map((p) => p.trim());
  if (spec.trim() === '') return () => true;
  const clauses: Clause[] = [];
  for (const p of parts) {
    if (p === '') return null;
    const c = parseClause(p);
    if (c === null) return null;
    clauses.push(c);
  }
  return (version) => {
    const v = parseVersion(version);
    return v !== null && clauses.every((c) => c(v));
  };
}

/** True if `requires_python` admits any of 3.14 … 3.0, false if none, null if the specifier is invalid. */
export function admitsPython3(requiresPython: string): boolean | null {
  const contains = parseSpecifierSet(requiresPython);
  if (contains === null) return null;
  for (let minor = 14; minor >= 0; minor--) if (contains(`3.${minor}`)) return true;
  return false;
}
