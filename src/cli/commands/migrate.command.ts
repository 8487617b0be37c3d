import { loadConfig } from '../../config.js';
import { openDatabase } from '../../db/index.js';
import { migrateToLatest } from '../../db/migrate.js';
import { say, wantsHelp, type Command } from '../command.js';

/** `packgrid migrate`: applies pending migrations; safe to run any number of times. */
export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'apply database migrations (idempotent)',
  usage: 'packgrid migrate\n\nApplies every pending migration to the database DATABASE_URL names (or the embedded one in DATA_DIR/db).',
  async run(args, io) {
    if (wantsHelp(args)) return (say(io.stdout, this.usage), 0);
    const config = loadConfig(io.env);
    const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? undefined : config.dataDir });
    try {
      const applied = await migrateToLatest(handle.db);
      say(io.stdout, applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      return 0;
    } finally {
      await handle.close();
    }
  },
};
