import { loadConfig } from '../../config.js';
import { startServer } from '../../server.js';
import { say, untilSignalled, wantsHelp, type Command } from '../command.js';

/** `packgrid serve`: migrate, seed the demo data on first start, listen on PORT. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'migrate, load the demo data on first start, and serve HTTP on PORT (what `npm start` runs)',
  usage: 'packgrid serve\n\nListens on PORT (default 8000). Without DATABASE_URL the embedded database lives in DATA_DIR/db.',
  async run(args, io) {
    if (wantsHelp(args)) return (say(io.stdout, this.usage), 0);
    const config = loadConfig(io.env);
    const server = await startServer(config, (m) => say(io.stderr, m));
    say(
      io.stderr,
      `packgrid: serving ${server.url} (${server.handle.kind === 'pglite' ? `embedded database in ${config.dataDir}/db` : 'PostgreSQL'})`,
    );
    await untilSignalled(io.stderr, 'shutting down', () => server.stop());
    return 0;
  },
};
