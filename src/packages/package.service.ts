import type { RefreshRequester } from '../context.js';
import type { Db } from '../db/index.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { normalizeRepoUrl, RepoUrlError } from '../fetchers/repo-url.js';
import { diffFields, recordEdit } from '../history/history.service.js';
import type { PackageRecordRow } from './package-record.js';
import { countPackages, findRecordRow, listRecordRows } from './package.repository.js';
import {
  categoryExists,
  deletePackageRow,
  findEditablePackage,
  insertPackage,
  packageValueTaken,
  updatePackageRow,
  type EditablePackageRow,
} from './package-write.repository.js';

/** Fields an editor may set (category as an id). */
export interface PackageInput {
  title?: string;
  slug?: string;
  category?: number;
  repo_url?: string;
  pypi_url?: string;
  documentation_url?: string | null;
}

const MAX_INT = 2_147_483_647;

/** The v4 record row for an id (all digits) or slug, as MultiLookupFieldMixin looks packages up. */
export async function getPackageRecordRow(db: Db, key: string): Promise<PackageRecordRow | undefined> {
  if (/^\d+$/.test(key)) {
    const id = Number(key);
    return id <= MAX_INT ? findRecordRow(db, { id }) : undefined;
  }
  return findRecordRow(db, { slug: key });
}

// count(*) runs on every list page; keep it for a second so a busy list costs one query, not two.
// Writes in this process clear it at once; writes elsewhere (worker, CLI) show up within the second.
let countCache: { db: Db; n: number; at: number } | undefined;

/** Forgets the cached package count (after a create or delete). */
export function invalidatePackageCount(): void {
  countCache = undefined;
}

/** One page of v4 record rows (newest first) and the total. */
export async function listPackageRecordRows(db: Db, limit: number, offset: number): Promise<{ count: number; rows: PackageRecordRow[] }> {
  const now = Date.now();
  const cached = countCache !== undefined && countCache.db === db && now - countCache.at < 1000 ? countCache.n : undefined;
  if (cached !== undefined) return { count: cached, rows: await listRecordRows(db, limit, offset) };
  const [count, rows] = await Promise.all([countPackages(db), listRecordRows(db, limit, offset)]);
  countCache = { db, n: count, at: now };
  return { count, rows };
}

/** PyPI URL as the original's form leaves it: a bare project name becomes https://pypi.org/project/<name>/. */
export function normalizePypiUrl(raw: string): string {
  const s = raw.trim();
  if (s === '') return '';
  if (/^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(s)) return `https://pypi.org/project/${s}/`;
  if (/^https?:\/\/[^\s/]+\.[^\s/]+(\/\S*)?$/i.test(s)) return s;
  throw new ValidationError({ pypi_url: ['Enter a valid URL or a PyPI project name.'] });
}

function normalizeDocsUrl(raw: string | null): string | null {
  if (raw === null) return null;
  const s = raw.trim();
  if (s === '') return '';
  if (!/^https?:\/\/[^\s/]+\.[^\s/]+(\/\S*)?$/i.test(s) && !/^https?:\/\/localhost(:\d+)?(\/\S*)?$/i.test(s))
    throw new ValidationError({ documentation_url: ['Enter a valid URL.'] });
  return s;
}

function normalizeRepo(raw: string): string {
  const s = raw.trim();
  if (s === '') return '';
  try {
    return normalizeRepoUrl(s);
  } catch (e) {
    if (e instanceof RepoUrlError) throw new ValidationError({ repo_url: [e.message] });
    throw e;
  }
}

function normalizeInput(input: PackageInput): Partial<Omit<EditablePackageRow, 'id'>> {
  const out: Partial<Omit<EditablePackageRow, 'id'>> = {};
  const errors: Record<string, string[]> = {};
  const attempt = (fn: () => void): void => {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof ValidationError) || !e.fields) throw e;
      Object.assign(errors, e.fields);
    }
  };
  if (input.title !== undefined) out.title = input.title.trim();
  if (input.slug !== undefined) out.slug = input.slug.trim();
  if (input.category !== undefined) out.category_id = input.category;
  if (input.repo_url !== undefined) attempt(() => void (out.repo_url = normalizeRepo(input.repo_url ?? '')));
  if (input.pypi_url !== undefined) attempt(() => void (out.pypi_url = normalizePypiUrl(input.pypi_url ?? '')));
  if (input.documentation_url !== undefined)
    attempt(() => void (out.documentation_url = normalizeDocsUrl(input.documentation_url ?? null)));
  if (out.title === '') errors.title = ['This field may not be blank.'];
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return out;
}

async function checkUnique(
  db: Parameters<typeof packageValueTaken>[0],
  v: Partial<Omit<EditablePackageRow, 'id'>>,
  exceptId?: number,
): Promise<void> {
  const errors: Record<string, string[]> = {};
  if (v.slug !== undefined && (await packageValueTaken(db, 'slug', v.slug, exceptId)))
    errors.slug = ['package with this slug already exists.'];
  if (v.repo_url && (await packageValueTaken(db, 'repo_url', v.repo_url, exceptId)))
    errors.repo_url = ['package with this repo url already exists.'];
  if (v.category_id !== undefined && !(await categoryExists(db, v.category_id)))
    errors.category = ['Invalid hyperlink - Object does not exist.'];
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}

/** Creates a package, records the edit and asks for a first fetch. */
export async function createPackage(
  db: Db,
  refresh: RefreshRequester,
  userId: number,
  input: Required<Pick<PackageInput, 'title' | 'slug' | 'category'>> & PackageInput,
): Promise<number> {
  const v = normalizeInput(input);
  const id = await db.transaction().execute(async (trx) => {
    await checkUnique(trx, v);
    const row = {
      title: v.title ?? input.title,
      slug: v.slug ?? input.slug,
      category_id: input.category,
      repo_url: v.repo_url ?? '',
      pypi_url: v.pypi_url ?? '',
      documentation_url: v.documentation_url === undefined ? null : v.documentation_url,
    };
    const newId = await insertPackage(trx, { ...row, created_by_id: userId });
    await recordEdit(trx, {
      entityType: 'package',
      entityId: newId,
      packageId: newId,
      userId,
      action: 'create',
      changes: diffFields({}, row),
    });
    return newId;
  });
  invalidatePackageCount();
  await refresh.requestRefresh([id], 'created');
  return id;
}

/** Updates a package (PUT or PATCH), records the edit, and re-fetches when the repository or PyPI link changed. */
export async function editPackage(db: Db, refresh: RefreshRequester, userId: number, id: number, input: PackageInput): Promise<void> {
  const v = normalizeInput(input);
  const refetch = await db.transaction().execute(async (trx) => {
    const before = await findEditablePackage(trx, id);
    if (!before) throw new NotFoundError();
    await checkUnique(trx, v, id);
    const changes = diffFields({ ...before }, v);
    if (Object.keys(changes).length === 0) return false;
    await updatePackageRow(trx, id, v, userId);
    await recordEdit(trx, { entityType: 'package', entityId: id, packageId: id, userId, action: 'update', changes });
    return 'repo_url' in changes || 'pypi_url' in changes;
  });
  if (refetch) await refresh.requestRefresh([id], 'repo_changed');
}

/** Deletes a package (staff) and records the edit. */
export async function deletePackage(db: Db, userId: number, id: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await findEditablePackage(trx, id);
    if (!before) throw new NotFoundError();
    await deletePackageRow(trx, id);
    await recordEdit(trx, {
      entityType: 'package',
      entityId: id,
      packageId: id,
      userId,
      action: 'delete',
      changes: diffFields({ ...before }, { title: null, slug: null }),
    });
  });
  invalidatePackageCount();
}
