import { exportPackages } from '../../interchange/export.service.js';
import { say, wantsHelp, type Command } from '../command.js';
import { openForCli } from '../database.js';

/** `packgrid export`: every package as one API v4 JSON record per line on stdout. */
export const exportCommand: Command = {
  name: 'export',
  summary: 'write every package as API v4 JSON, one record per line, to stdout',
  usage: 'packgrid export > packages.jsonl\n\nFields in API v4 order; datetimes in TIME_ZONE; hyperlinks on SITE_URL.',
  async run(args, io) {
    if (wantsHelp(args)) return (say(io.stdout, this.usage), 0);
    const { config, handle } = await openForCli(io.env);
    try {
      const n = await exportPackages(handle.db, {
        siteUrl: config.siteUrl,
        timeZone: config.timeZone,
        write: (line) =>
          new Promise<void>((resolve) => {
            if (io.stdout.write(line)) resolve();
            else io.stdout.once('drain', () => resolve());
          }),
      });
      say(io.stderr, `exported ${n} packages`);
      return 0;
    } finally {
      await handle.close();
    }
  },
};
