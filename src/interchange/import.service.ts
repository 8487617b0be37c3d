import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Db } from '../db/index.js';
import {
  ensureCategories,
  ensureGrids,
  findClash,
  resetSequences,
  setLatestVersion,
  setPackageGrids,
  upsertV4Package,
} from './interchange.repository.js';
import { parseV4Record, RecordError } from './v4-record.js';

/** One rejected record: where it was and why. */
export interface Rejection {
  /** "line 12" for JSONL, "package.package.json #3" for snapshots, "offset 40 #2" for crawls. */
  where: string;
  reason: string;
}

/** What an import did. */
export interface ImportResult {
  inserted: number;
  updated: number;
  rejected: Rejection[];
  /** Row counts per entity, for snapshot imports. */
  counts: Record<string, number>;
}

/** Progress callback: done so far out of total (total may be unknown). */
export type Progress = (done: number, total: number | undefined) => void;

/** A source that cannot be read at all (missing file, unreachable URL). */
export class ImportSourceError extends Error {}

/** Options shared by every import. */
export interface ImportOptions {
  /** Zone for datetimes without an offset (the 2011 snapshot's are naive). */
  naiveZone: string;
  onProgress?: Progress;
}

function emptyResult(): ImportResult {
  return { inserted: 0, updated: 0, rejected: [], counts: {} };
}

function describe(e: unknown): string {
  if (e instanceof RecordError) return e.message;
  const pg = e as { code?: string; constraint?: string; detail?: string; message?: string };
  if (pg.code === '23505') return `duplicate value (${pg.constraint ?? 'unique constraint'})${pg.detail ? `: ${pg.detail}` : ''}`;
  if (pg.code?.startsWith('22') || pg.code?.startsWith('23')) return `invalid value: ${pg.message ?? 'constraint violated'}`;
  throw e;
}

/** Imports one v4 record in its own transaction: it lands whole or not at all. */
export async function importV4Record(db: Db, value: unknown, opts: ImportOptions): Promise<'inserted' | 'updated'> {
  const r = parseV4Record(value, opts.naiveZone);
  return db.transaction().execute(async (trx) => {
    const clash = await findClash(trx, r.id, r.slug, r.repoUrl);
    if (clash) {
      const v = clash.field === 'slug' ? r.slug : (r.repoUrl ?? '');
      throw new RecordError(`${clash.field}: duplicate, "${v}" already belongs to package ${clash.otherId}`);
    }
    await ensureCategories(trx, [r.categoryId]);
    await ensureGrids(trx, r.gridIds);
    const inserted = await upsertV4Package(trx, r);
    if (r.pypiVersion !== undefined) await setLatestVersion(trx, r.id, r.pypiVersion);
    await setPackageGrids(trx, r.id, r.gridIds);
    return inserted ? 'inserted' : 'updated';
  });
}

/** Imports v4 records from an async sequence of [where, value | parse error] items. */
export async function importV4Items(
  db: Db,
  items: AsyncIterable<{ where: string; value?: unknown; error?: string }>,
  opts: ImportOptions & { total?: number },
): Promise<ImportResult> {
  const result = emptyResult();
  let done = 0;
  for await (const item of items) {
    done++;
    if (item.error !== undefined) {
      result.rejected.push({ where: item.where, reason: item.error });
    } else {
      try {
        const outcome = await importV4Record(db, item.value, opts);
        result[outcome]++;
      } catch (e) {
        result.rejected.push({ where: item.where, reason: describe(e) });
      }
    }
    opts.onProgress?.(done, opts.total);
  }
  await resetSequences(db);
  return result;
}

/** Reads a JSONL file as items with line numbers; a line that is not JSON becomes a rejection. */
export async function* jsonlItems(file: string): AsyncGenerator<{ where: string; value?: unknown; error?: string }> {
  const stream = createReadStream(file, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (e) => reject(new ImportSourceError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? e.message}`)));
  });
  await opened;
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line++;
    if (text.trim() === '') continue;
    try {
      yield { where: `line ${line}`, value: JSON.parse(text) as unknown };
    } catch (e) {
      yield { where: `line ${line}`, error: `bad JSON: ${(e as Error).message}` };
    }
  }
}

/** Imports a JSONL file of v4 package records. */
export async function importJsonlFile(db: Db, file: string, opts: ImportOptions): Promise<ImportResult> {
  let total: number | undefined;
  try {
    const { readFile } = await import('node:fs/promises');
    total = (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim() !== '').length;
  } catch (e) {
    throw new ImportSourceError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return importV4Items(db, jsonlItems(file), { ...opts, total });
}
