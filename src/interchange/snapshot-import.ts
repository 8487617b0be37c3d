import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Database, Db } from '../db/index.js';
import { normalizeTimestamp } from '../lib/datetime.js';
import { resetSequences } from './interchange.repository.js';
import { ImportSourceError, type ImportOptions, type ImportResult, type Rejection } from './import.service.js';

type Trx = Transaction<Database>;
interface Fixture {
  pk: unknown;
  model: unknown;
  fields: Record<string, unknown>;
}

const FILES = [
  'package.category',
  'package.package',
  'package.version',
  'package.commit',
  'package.packageexample',
  'grid.grid',
  'grid.gridpackage',
  'grid.feature',
  'grid.element',
  'homepage.tab',
] as const;
type Model = (typeof FILES)[number];

class Bad extends Error {}

/** `SET col = excluded.col` for each column: an upsert that takes the incoming row's values. */
function excluded<C extends string>(cols: readonly C[]): Record<C, RawBuilder<never>> {
  return Object.fromEntries(cols.map((c) => [c, sql<never>`excluded.${sql.ref(c)}`])) as Record<C, RawBuilder<never>>;
}

async function load(dir: string, model: Model, required: boolean): Promise<Fixture[]> {
  const file = path.join(dir, `${model}.json`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if (!required && (e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new ImportSourceError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ImportSourceError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(data)) throw new ImportSourceError(`${file} must hold a JSON list of {pk, model, fields} objects`);
  return data as Fixture[];
}

function fieldsOf(f: Fixture): Record<string, unknown> {
  if (typeof f !== 'object' || f === null || typeof f.fields !== 'object' || f.fields === null)
    throw new Bad('expected {pk, model, fields}');
  return f.fields;
}
function pkOf(f: Fixture): number {
  if (typeof f.pk !== 'number' || !Number.isInteger(f.pk) || f.pk <= 0) throw new Bad('pk: expected a positive integer');
  return f.pk;
}
function s(fields: Record<string, unknown>, k: string, max = 100_000, allowNull = false): string {
  const v = fields[k];
  if ((v === null || v === undefined) && allowNull) return '';
  if (typeof v !== 'string') throw new Bad(`${k}: expected a string`);
  if (v.length > max) throw new Bad(`${k}: longer than ${max} characters`);
  return v;
}
function n(fields: Record<string, unknown>, k: string): number {
  const v = fields[k] ?? 0;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Bad(`${k}: expected an integer`);
  return Math.max(0, v);
}
function ref(fields: Record<string, unknown>, k: string, known: Set<number>): number {
  const v = fields[k];
  if (typeof v !== 'number' || !known.has(v)) throw new Bad(`${k}: refers to ${String(v)}, which is not in the snapshot or the database`);
  return v;
}
function t(fields: Record<string, unknown>, k: string, zone: string): string {
  const v = fields[k];
  const out = typeof v === 'string' ? normalizeTimestamp(v, zone) : null;
  if (out === null) throw new Bad(`${k}: expected a datetime`);
  return out;
}

async function existingIds(trx: Trx, table: 'categories' | 'packages' | 'grids' | 'features'): Promise<Set<number>> {
  const rows = await trx.selectFrom(table).select('id').execute();
  return new Set(rows.map((r) => r.id));
}

/** Runs `write` per chunk inside a savepoint; a failing chunk is retried row by row so one bad row loses only itself. */
async function writeRows<T>(
  trx: Trx,
  rows: { where: string; row: T }[],
  write: (rows: T[]) => Promise<void>,
  rejected: Rejection[],
): Promise<number> {
  let ok = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await sql`SAVEPOINT chunk`.execute(trx);
    try {
      await write(chunk.map((c) => c.row));
      await sql`RELEASE SAVEPOINT chunk`.execute(trx);
      ok += chunk.length;
      continue;
    } catch {
      await sql`ROLLBACK TO SAVEPOINT chunk`.execute(trx);
    }
    for (const c of chunk) {
      await sql`SAVEPOINT one`.execute(trx);
      try {
        await write([c.row]);
        await sql`RELEASE SAVEPOINT one`.execute(trx);
        ok++;
      } catch (e) {
        await sql`ROLLBACK TO SAVEPOINT one`.execute(trx);
        const pg = e as { detail?: string; message?: string };
        rejected.push({ where: c.where, reason: pg.detail ?? pg.message ?? 'rejected by the database' });
      }
    }
  }
  return ok;
}

/** Imports a Django `dumpdata` snapshot folder (categories, packages, versions, grids, features, cells, examples). */
export async function importSnapshotDir(db: Db, dir: string, opts: ImportOptions): Promise<ImportResult> {
  const data = {} as Record<Model, Fixture[]>;
  for (const m of FILES) data[m] = await load(dir, m, m === 'package.package');
  const rejected: Rejection[] = [];
  const counts: Record<string, number> = {};
  const zone = opts.naiveZone;
  const total = FILES.reduce((a, m) => a + data[m].length, 0);
  let done = 0;
  const step = (k: number): void => {
    done += k;
    opts.onProgress?.(done, total);
  };

  // Validate every record of a file; the good ones are written, the bad ones reported with their position.
  function prepare<T>(model: Model, build: (f: Fixture) => T): { where: string; row: T }[] {
    const out: { where: string; row: T }[] = [];
    data[model].forEach((f, i) => {
      const where = `${model}.json #${i + 1}`;
      try {
        out.push({ where, row: build(f) });
      } catch (e) {
        if (!(e instanceof Bad)) throw e;
        rejected.push({ where, reason: e.message });
      }
    });
    return out;
  }

  let inserted = 0;
  await db.transaction().execute(async (trx) => {
    const before = await existingIds(trx, 'packages');

    const cats = prepare('package.category', (f) => {
      const x = fieldsOf(f);
      return {
        id: pkOf(f),
        title: s(x, 'title', 50),
        slug: s(x, 'slug', 50),
        description: s(x, 'description', 100_000, true),
        title_plural: s(x, 'title_plural', 50, true),
        show_pypi: x.show_pypi !== false,
        created: t(x, 'created', zone),
        modified: t(x, 'modified', zone),
      };
    });
    counts.categories = await writeRows(
      trx,
      cats,
      async (rows) => {
        await trx
          .insertInto('categories')
          .values(rows)
          .onConflict((oc) =>
            oc.column('id').doUpdateSet(excluded(['title', 'slug', 'description', 'title_plural', 'show_pypi', 'created', 'modified'])),
          )
          .execute();
      },
      rejected,
    );
    step(data['package.category'].length);

    const catIds = await existingIds(trx, 'categories');
    const lastCommit = new Map<number, string>();
    for (const c of data['package.commit']) {
      const x = c.fields as Record<string, unknown> | undefined;
      const pkg = x?.package;
      const when = typeof x?.commit_date === 'string' ? normalizeTimestamp(x.commit_date, zone) : null;
      if (typeof pkg === 'number' && when && (lastCommit.get(pkg) ?? '') < when) lastCommit.set(pkg, when);
    }
    const pkgs = prepare('package.package', (f) => {
      const x = fieldsOf(f);
      const id = pkOf(f);
      const slug = s(x, 'slug', 100);
      if (!/^[-a-zA-Z0-9_]+$/.test(slug)) throw new Bad(`slug: "${slug}" is not a valid slug`);
      return {
        id,
        title: s(x, 'title', 100),
        slug,
        category_id: ref(x, 'category', catIds),
        repo_description: s(x, 'repo_description', 100_000, true),
        repo_url: s(x, 'repo_url', 255, true),
        repo_watchers: n(x, 'repo_watchers'),
        repo_forks: n(x, 'repo_forks'),
        pypi_url: s(x, 'pypi_url', 255, true),
        pypi_downloads: n(x, 'pypi_downloads'),
        commit_count: n(x, 'repo_commits'),
        participants: s(x, 'participants', 100_000, true)
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean),
        last_commit_date: lastCommit.get(id) ?? null,
        created: t(x, 'created', zone),
        modified: t(x, 'modified', zone),
      };
    });
    counts.packages = await writeRows(
      trx,
      pkgs,
      async (rows) => {
        await trx
          .insertInto('packages')
          .values(rows)
          .onConflict((oc) =>
            oc
              .column('id')
              .doUpdateSet(
                excluded([
                  'title',
                  'slug',
                  'category_id',
                  'repo_description',
                  'repo_url',
                  'repo_watchers',
                  'repo_forks',
                  'pypi_url',
                  'pypi_downloads',
                  'commit_count',
                  'participants',
                  'last_commit_date',
                  'created',
                  'modified',
                ]),
              ),
          )
          .execute();
      },
      rejected,
    );
    inserted = pkgs.filter((p) => !before.has(p.row.id)).length;
    step(data['package.package'].length + data['package.commit'].length);

    const pkgIds = await existingIds(trx, 'packages');
    const versions = prepare('package.version', (f) => {
      const x = fieldsOf(f);
      pkOf(f);
      const created = t(x, 'created', zone);
      const license = x.license === null || x.license === undefined ? null : s(x, 'license', 100);
      return {
        package_id: ref(x, 'package', pkgIds),
        number: s(x, 'number', 100),
        downloads: n(x, 'downloads'),
        license,
        hidden: x.hidden === true,
        upload_time: created,
        created,
        modified: t(x, 'modified', zone),
      };
    });
    counts.versions = await writeRows(
      trx,
      versions,
      async (rows) => {
        await trx
          .insertInto('versions')
          .values(rows)
          .onConflict((oc) =>
            oc
              .columns(['package_id', 'number'])
              .doUpdateSet(excluded(['downloads', 'license', 'hidden', 'upload_time', 'created', 'modified'])),
          )
          .execute();
      },
      rejected,
    );
    // A package with no current version gets its newest 2011 release.
    await sql`
      UPDATE packages p SET latest_version_id = v.id
      FROM (SELECT DISTINCT ON (package_id) id, package_id FROM versions WHERE NOT hidden ORDER BY package_id, created DESC, id DESC) v
      WHERE v.package_id = p.id AND p.latest_version_id IS NULL`.execute(trx);
    step(data['package.version'].length);

    const examples = prepare('package.packageexample', (f) => {
      const x = fieldsOf(f);
      return {
        id: pkOf(f),
        package_id: ref(x, 'package', pkgIds),
        title: s(x, 'title', 100),
        url: s(x, 'url', 255),
        active: typeof x.active === 'boolean' ? x.active : null,
        created: t(x, 'created', zone),
        modified: t(x, 'modified', zone),
      };
    });
    counts.examples = await writeRows(
      trx,
      examples,
      async (rows) => {
        await trx
          .insertInto('package_examples')
          .values(rows)
          .onConflict((oc) => oc.column('id').doUpdateSet(excluded(['package_id', 'title', 'url', 'active'])))
          .execute();
      },
      rejected,
    );
    step(data['package.packageexample'].length);

    const headerGrids = new Set(
      data['homepage.tab']
        .map((tab) => (tab.fields as Record<string, unknown> | undefined)?.grid)
        .filter((g): g is number => typeof g === 'number'),
    );
    const grids = prepare('grid.grid', (f) => {
      const x = fieldsOf(f);
      const id = pkOf(f);
      return {
        id,
        title: s(x, 'title', 100),
        slug: s(x, 'slug', 100).toLowerCase(),
        description: s(x, 'description', 100_000, true),
        is_locked: x.is_locked === true,
        header: headerGrids.has(id),
        created: t(x, 'created', zone),
        modified: t(x, 'modified', zone),
      };
    });
    counts.grids = await writeRows(
      trx,
      grids,
      async (rows) => {
        await trx
          .insertInto('grids')
          .values(rows)
          .onConflict((oc) =>
            oc.column('id').doUpdateSet(excluded(['title', 'slug', 'description', 'is_locked', 'header', 'created', 'modified'])),
          )
          .execute();
      },
      rejected,
    );
    step(data['grid.grid'].length + data['homepage.tab'].length);

    const gridIds = await existingIds(trx, 'grids');
    const gps = prepare('grid.gridpackage', (f) => {
      const x = fieldsOf(f);
      return {
        pk: pkOf(f),
        grid_id: ref(x, 'grid', gridIds),
        package_id: ref(x, 'package', pkgIds),
        created: t(x, 'created', zone),
        modified: t(x, 'modified', zone),
      };
    });
    // Grid-package ids are not kept (cells find them by (grid, package)), so imports into a live database never collide.
    const gpIdBySnapshotPk = new Map<number, number>();
    counts.grid_packages = await writeRows(
      trx,
      gps,
      async (rows) => {
        const out = await trx
          .insertInto('grid_packages')
          .values(rows.map(({ pk: _pk, ...r }) => r))
          .onConflict((oc) => oc.columns(['grid_id', 'package_id']).doUpdateSet(excluded(['modified'])))
          .returning(['id', 'grid_id', 'package_id'])
          .execute();
        const byPair = new Map(out.map((o) => [`${o.grid_id}:${o.package_id}`, o.id]));
        for (const r of rows) {
          const id = byPair.get(`${r.grid_id}:${r.package_id}`);
          if (id !== undefined) gpIdBySnapshotPk.set(r.pk, id);
        }
      },
      rejected,
    );
    step(data['grid.gridpackage'].length);

    const features = prepare('grid.feature', (f) => {
      const x = fieldsOf(f);
      return {
        id: pkOf(f),
        grid_id: ref(x, 'grid', gridIds),
        title: s(x, 'title', 100),
        description: s(x, 'description', 100_000, true),
        created: t(x, 'created', zone),
        modified: t(x, 'modified', zone),
      };
    });
    counts.features = await writeRows(
      trx,
      features,
      async (rows) => {
        await trx
          .insertInto('features')
          .values(rows)
          .onConflict((oc) => oc.column('id').doUpdateSet(excluded(['grid_id', 'title', 'description', 'modified'])))
          .execute();
      },
      rejected,
    );
    step(data['grid.feature'].length);

    const featureIds = await existingIds(trx, 'features');
    const elements = prepare('grid.element', (f) => {
      const x = fieldsOf(f);
      pkOf(f);
      const gp = x.grid_package;
      const gpId = typeof gp === 'number' ? gpIdBySnapshotPk.get(gp) : undefined;
      if (gpId === undefined) throw new Bad(`grid_package: refers to ${String(gp)}, which is not in the snapshot`);
      return {
        grid_package_id: gpId,
        feature_id: ref(x, 'feature', featureIds),
        text: s(x, 'text', 100_000, true),
        created: t(x, 'created', zone),
        modified: t(x, 'modified', zone),
      };
    });
    counts.elements = await writeRows(
      trx,
      elements,
      async (rows) => {
        await trx
          .insertInto('elements')
          .values(rows)
          .onConflict((oc) => oc.columns(['grid_package_id', 'feature_id']).doUpdateSet(excluded(['text', 'modified'])))
          .execute();
      },
      rejected,
    );
    step(data['grid.element'].length);

    await resetSequences(trx);
  });
  return { inserted, updated: (counts.packages ?? 0) - inserted, rejected, counts };
}
