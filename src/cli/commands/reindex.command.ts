import { rebuildSearchIndex } from '../../search/search.service.js';
import { say, wantsHelp, type Command } from '../command.js';
import { openForCli } from '../database.js';

/** `packgrid reindex`: recomputes every score and search weight and rebuilds the search index. */
export const reindexCommand: Command = {
  name: 'reindex',
  summary: 'recompute scores and search weights and rebuild the search index',
  usage:
    'packgrid reindex\n\nRecomputes every package score and search weight (both age with time) and rewrites every search\ndocument, dropping those of deleted packages and grids. Edits and fetches keep the index current on their own;\nrun this after a bulk import or from a nightly timer.',
  async run(args, io) {
    if (wantsHelp(args)) return (say(io.stdout, this.usage), 0);
    const { handle } = await openForCli(io.env);
    try {
      const started = performance.now();
      const r = await handle.db.transaction().execute((trx) => rebuildSearchIndex(trx));
      say(
        io.stdout,
        `reindexed ${r.packages} packages and ${r.grids} grids, removed ${r.removed} stale documents in ${Math.round(performance.now() - started)} ms`,
      );
      return 0;
    } finally {
      await handle.close();
    }
  },
};
