import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../../test/db.js';
import { DEMO_DATA_DIR } from './demo-seed.js';
import { exportPackages } from './export.service.js';
import { importJsonlFile, importV4Items, ImportSourceError } from './import.service.js';
import { crawlItems, httpJsonGetter } from './crawl.js';
import { importSnapshotDir } from './snapshot-import.js';

const JSONL = path.join(DEMO_DATA_DIR, 'packages.jsonl');
const SNAPSHOT = path.join(DEMO_DATA_DIR, 'snapshot-2011-03');
const records = readFileSync(JSONL, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Record<string, unknown>);
const opts = { naiveZone: 'America/New_York' };

function withoutBookkeeping(rec: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(rec).filter(([k]) => !k.startsWith('_')));
}

function tmpFile(name: string, text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'packgrid-import-'));
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

async function exportAll(db: Parameters<typeof exportPackages>[0]): Promise<Map<number, string>> {
  const lines: string[] = [];
  await exportPackages(db, { siteUrl: 'https://djangopackages.org', timeZone: 'America/New_York', write: (l) => void lines.push(l) });
  return new Map(lines.map((l) => [(JSON.parse(l) as { id: number }).id, l.trimEnd()]));
}

describeEachDb('import and export of API v4 records', (get) => {
  it('round-trips every real record exactly (key order, microseconds, null vs "")', async () => {
    const { db } = get();
    const result = await importJsonlFile(db, JSONL, opts);
    expect(result.rejected).toEqual([]);
    expect(result.inserted).toBe(168);
    const out = await exportAll(db);
    expect(out.size).toBe(168);
    let compared = 0;
    for (const rec of records) {
      const line = out.get(rec.id as number);
      expect(line, `record ${String(rec.id)}`).toBeDefined();
      const want = withoutBookkeeping(rec);
      if (rec._truncated === true) {
        // A truncated record is compared on the fields it has, in order.
        const got = JSON.parse(line ?? '{}') as Record<string, unknown>;
        const gotSubset = Object.fromEntries(
          Object.keys(got)
            .filter((k) => k in want)
            .map((k) => [k, got[k]]),
        );
        expect(JSON.stringify(gotSubset)).toBe(JSON.stringify(want));
      } else {
        expect(line).toBe(JSON.stringify(want));
      }
      compared++;
    }
    expect(compared).toBe(168);
    // The seed record of the project, byte for byte minus the participants the page lost.
    expect(out.get(4059)).toContain(
      '"last_fetched":"2026-02-15T11:07:46.826281-05:00","repo_url":"https://github.com/jcalazan/ansible-django-stack","pypi_version":null',
    );
    expect(out.get(4059)).toContain('"pypi_url":"","documentation_url":"","repo_watchers":1383');
  });

  it('keeps grids and categories known only by their hyperlink as rows with those ids', async () => {
    const { db } = get();
    const grid = await db.selectFrom('grids').selectAll().where('id', '=', 42).executeTakeFirstOrThrow();
    expect(grid.slug).toBe('grid-42');
    const cats = await db.selectFrom('categories').select('id').orderBy('id').execute();
    expect(cats.map((c) => c.id)).toEqual([1, 2, 3, 4]);
    const links = await db.selectFrom('grid_packages').select('grid_id').where('package_id', '=', 4059).execute();
    expect(links.map((l) => l.grid_id)).toEqual([42]);
  });

  it('updates instead of duplicating when run again', async () => {
    const { db } = get();
    const again = await importJsonlFile(db, JSONL, opts);
    expect(again).toMatchObject({ inserted: 0, updated: 168, rejected: [] });
    const n = await db
      .selectFrom('packages')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(168);
    const versions = await db
      .selectFrom('versions')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(versions.n)).toBe(records.filter((r) => r.pypi_version !== null).length);
  });

  it('reports bad JSON, missing fields, bad values and a duplicate slug by line, and imports the rest', async () => {
    const { db } = get();
    const good = {
      ...withoutBookkeeping(records[0] ?? {}),
      id: 900001,
      slug: 'brand-new-pkg',
      repo_url: 'https://github.com/x/brand-new-pkg',
    };
    const dupSlug = { ...good, id: 900002, repo_url: 'https://github.com/x/other', slug: String(records[1]?.slug) };
    const dupRepo = { ...good, id: 900003, slug: 'another-one', repo_url: String(records[1]?.repo_url) };
    const missing = { ...good, id: 900004, slug: 'no-title' } as Record<string, unknown>;
    delete missing.title;
    const badCommits = { ...good, id: 900005, slug: 'bad-commits', repo_url: 'https://github.com/x/bc', commits_over_52: [1, 2, 3] };
    const badDate = { ...good, id: 900006, slug: 'bad-date', repo_url: 'https://github.com/x/bd', created: 'last tuesday' };
    const badLink = { ...good, id: 900007, slug: 'bad-link', repo_url: 'https://github.com/x/bl', category: 'https://example.com/nope' };
    const file = tmpFile(
      'mixed.jsonl',
      [good, '{not json', dupSlug, missing, '', dupRepo, badCommits, badDate, badLink, [1, 2]]
        .map((x) => (typeof x === 'string' ? x : JSON.stringify(x)))
        .join('\n') + '\n',
    );
    const r = await importJsonlFile(db, file, opts);
    expect(r.inserted).toBe(1);
    const byLine = Object.fromEntries(r.rejected.map((x) => [x.where, x.reason]));
    expect(Object.keys(byLine)).toEqual(['line 2', 'line 3', 'line 4', 'line 6', 'line 7', 'line 8', 'line 9', 'line 10']);
    expect(byLine['line 2']).toMatch(/bad JSON/);
    expect(byLine['line 3']).toMatch(/slug: duplicate/);
    expect(byLine['line 4']).toBe('title: missing');
    expect(byLine['line 6']).toMatch(/repo_url: duplicate/);
    expect(byLine['line 7']).toMatch(/commits_over_52/);
    expect(byLine['line 8']).toMatch(/created: "last tuesday" is not an ISO 8601 datetime/);
    expect(byLine['line 9']).toMatch(/category: .* is not a \/api\/v4\/categories/);
    expect(byLine['line 10']).toBe('expected a JSON object');
    // Nothing of a rejected record was written, and the existing package kept its slug.
    const ids = (await db.selectFrom('packages').select('id').where('id', '>=', 900000).execute()).map((x) => x.id);
    expect(ids).toEqual([900001]);
  });

  it('says clearly when the file cannot be read', async () => {
    await expect(importJsonlFile(get().db, '/nonexistent/file.jsonl', opts)).rejects.toThrow(ImportSourceError);
  });
});

describeEachDb('import of the 2011 snapshot', (get) => {
  it('loads 669 packages, 89 grids, 310 features and 1,678 cells, and is idempotent', async () => {
    const { db } = get();
    const r = await importSnapshotDir(db, SNAPSHOT, opts);
    expect(r.counts).toMatchObject({
      categories: 4,
      packages: 669,
      grids: 89,
      features: 310,
      elements: 1678,
      grid_packages: 575,
      examples: 218,
    });
    // Six real 2011 version rows belong to no package; they are reported, not silently dropped.
    expect(r.rejected).toHaveLength(6);
    expect(r.rejected.every((x) => /package: refers to null/.test(x.reason))).toBe(true);
    const again = await importSnapshotDir(db, SNAPSHOT, opts);
    expect(again.counts.elements).toBe(1678);
    const count = async (t: 'packages' | 'grids' | 'features' | 'elements' | 'versions' | 'grid_packages'): Promise<number> =>
      Number(
        (
          await db
            .selectFrom(t)
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('packages')).toBe(669);
    expect(await count('grids')).toBe(89);
    expect(await count('features')).toBe(310);
    expect(await count('elements')).toBe(1678);
    expect(await count('grid_packages')).toBe(575);
    expect(await count('versions')).toBe(2438);
    const cms = await db.selectFrom('grids').selectAll().where('slug', '=', 'cms').executeTakeFirstOrThrow();
    expect(cms.title).toBe('CMS');
    expect(cms.header).toBe(true);
    const django = await db.selectFrom('packages').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
    expect(django.participants).toEqual(['django']);
    expect(django.last_commit_date).not.toBeNull();
  });

  it('rejects a broken record in a snapshot and keeps the rest', async () => {
    const { db } = get();
    const dir = mkdtempSync(path.join(tmpdir(), 'packgrid-snap-'));
    mkdirSync(dir, { recursive: true });
    copyFileSync(path.join(SNAPSHOT, 'package.category.json'), path.join(dir, 'package.category.json'));
    const pkgs = [
      {
        pk: 990001,
        model: 'package.package',
        fields: {
          title: 'Fine',
          slug: 'fine-pkg',
          category: 1,
          repo_url: '',
          created: '2011-01-01 00:00:00',
          modified: '2011-01-01 00:00:00',
        },
      },
      {
        pk: 990002,
        model: 'package.package',
        fields: { title: 'No category', slug: 'lost-pkg', category: 99, created: '2011-01-01 00:00:00', modified: '2011-01-01 00:00:00' },
      },
      {
        pk: 990003,
        model: 'package.package',
        fields: {
          title: 'Taken',
          slug: 'django',
          category: 1,
          repo_url: '',
          created: '2011-01-01 00:00:00',
          modified: '2011-01-01 00:00:00',
        },
      },
    ];
    writeFileSync(path.join(dir, 'package.package.json'), JSON.stringify(pkgs));
    const r = await importSnapshotDir(db, dir, opts);
    expect(r.counts.packages).toBe(1);
    expect(r.rejected.map((x) => x.where)).toEqual(['package.package.json #2', 'package.package.json #3']);
    expect(r.rejected[0]?.reason).toMatch(/category: refers to 99/);
    expect(r.rejected[1]?.reason).toMatch(/already exists/);
    await expect(importSnapshotDir(db, '/nonexistent-dir', opts)).rejects.toThrow(ImportSourceError);
  });
});

describeEachDb('import from a live djangopackages-compatible API', (get) => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    const recs = records
      .filter((r) => r._truncated !== true)
      .slice(0, 45)
      .map(withoutBookkeeping);
    server = createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      if (u.pathname !== '/api/v4/packages/') return void res.writeHead(404).end('{"detail":"Not found."}');
      const limit = Number(u.searchParams.get('limit') ?? 20);
      const offset = Number(u.searchParams.get('offset') ?? 0);
      const next = offset + limit < recs.length ? `${base}/api/v4/packages/?limit=${limit}&offset=${offset + limit}` : null;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ count: recs.length, next, previous: null, results: recs.slice(offset, offset + limit) }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const a = server.address();
    base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('crawls page by page with limit/offset', async () => {
    const r = await importV4Items(get().db, crawlItems(`${base}/api/v4/`, httpJsonGetter(base, 'http://localhost'), 20), opts);
    expect(r).toMatchObject({ inserted: 45, updated: 0, rejected: [] });
  });

  it('fails clearly on an unreachable URL and on a non-API answer', async () => {
    await expect(
      importV4Items(get().db, crawlItems('http://127.0.0.1:9/api/v4/', httpJsonGetter('http://127.0.0.1:9/', 'http://localhost')), opts),
    ).rejects.toThrow(/cannot reach http:\/\/127\.0\.0\.1:9/);
    await expect(importV4Items(get().db, crawlItems(`${base}/nothing/`, httpJsonGetter(base, 'http://localhost')), opts)).rejects.toThrow(
      /answered HTTP 404/,
    );
  });
});
