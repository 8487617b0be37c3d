import type { Db } from '../db/index.js';
import { toPackageRecord } from '../packages/package-record.js';
import { iterateRecordRows } from '../packages/package.repository.js';

/** Writes every package as one compact API v4 JSON record per line, in id order. */
export async function exportPackages(
  db: Db,
  opts: { siteUrl: string; timeZone: string; write: (line: string) => void | Promise<void> },
): Promise<number> {
  const apiBase = `${opts.siteUrl.replace(/\/+$/, '')}/api/v4`;
  let n = 0;
  for await (const rows of iterateRecordRows(db)) {
    for (const row of rows) {
      await opts.write(JSON.stringify(toPackageRecord(row, apiBase, opts.timeZone)) + '\n');
      n++;
    }
  }
  return n;
}
