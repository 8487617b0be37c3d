import { stat } from 'node:fs/promises';
import { crawlItems, httpJsonGetter } from '../../interchange/crawl.js';
import { importJsonlFile, importV4Items, ImportSourceError, type ImportResult } from '../../interchange/import.service.js';
import { importSnapshotDir } from '../../interchange/snapshot-import.js';
import { say, wantsHelp, type Command } from '../command.js';
import { openForCli } from '../database.js';
import { progressBar } from '../progress.js';

/** `packgrid import <source>`: JSONL of v4 records, a dumpdata snapshot folder, or a live v4 API URL. */
export const importCommand: Command = {
  name: 'import',
  summary: 'import packages from a JSONL file, a Django dumpdata folder or a live /api/v4/ URL',
  usage: [
    'packgrid import <source>',
    '',
    '<source> is one of:',
    '  a .jsonl file      one API v4 package record per line (ids are kept; category and grid hyperlinks become rows)',
    '  a folder           a Django `dumpdata` snapshot (package.package.json, grid.grid.json, ...)',
    '  an http(s) URL     the base of a djangopackages-compatible API, e.g. https://djangopackages.org/api/v4/',
    '',
    'Re-running an import updates rows instead of duplicating them. A bad record is reported with its position and',
    'skipped; the rest goes in. Exits 1 if any record was rejected, 2 if the source cannot be read.',
  ].join('\n'),
  async run(args, io) {
    if (wantsHelp(args)) return (say(io.stdout, this.usage), 0);
    const source = args.find((a) => !a.startsWith('-'));
    if (!source) {
      say(io.stderr, 'packgrid import: missing <source>\n\n' + this.usage);
      return 2;
    }
    const { config, handle } = await openForCli(io.env);
    const bar = progressBar('importing');
    const opts = { naiveZone: config.timeZone, onProgress: (d: number, t: number | undefined) => bar.update(d, t) };
    let result: ImportResult;
    try {
      if (/^https?:\/\//i.test(source)) {
        result = await importV4Items(handle.db, crawlItems(source, httpJsonGetter(source, config.siteUrl)), opts);
      } else {
        const info = await stat(source).catch(() => undefined);
        if (!info) throw new ImportSourceError(`no such file or folder: ${source}`);
        result = info.isDirectory() ? await importSnapshotDir(handle.db, source, opts) : await importJsonlFile(handle.db, source, opts);
      }
    } catch (e) {
      bar.stop();
      await handle.close();
      if (e instanceof ImportSourceError) {
        say(io.stderr, `packgrid import: ${e.message}`);
        return 2;
      }
      throw e;
    }
    bar.stop();
    await handle.close();
    for (const r of result.rejected) say(io.stderr, `rejected ${r.where}: ${r.reason}`);
    const counts = Object.entries(result.counts)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ');
    say(
      io.stdout,
      `imported: ${result.inserted} new, ${result.updated} updated, ${result.rejected.length} rejected${counts ? ` (${counts})` : ''}`,
    );
    return result.rejected.length > 0 ? 1 : 0;
  },
};
