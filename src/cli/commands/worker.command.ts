import { loadConfig } from '../../config.js';
import { startWorker } from '../../worker.js';
import { say, untilSignalled, wantsHelp, type Command } from '../command.js';

/** `packgrid worker`: the refresh loop without HTTP (run one or more next to `packgrid serve` on PostgreSQL). */
export const workerCommand: Command = {
  name: 'worker',
  summary: 'run the refresh worker (fetch jobs) without HTTP; several may share one PostgreSQL',
  usage: [
    'packgrid worker',
    '',
    'Refreshes requested packages first (new, edited, webhook, "Fetch latest data"), then every active package once',
    'per REFRESH_HOURS (default 24), a share every FETCH_TICK_SECONDS (default 30). With the embedded database the',
    'server runs this loop itself (IN_PROCESS_WORKER), so a separate worker is only for DATABASE_URL setups.',
  ].join('\n'),
  async run(args, io) {
    if (wantsHelp(args)) return (say(io.stdout, this.usage), 0);
    const config = loadConfig(io.env);
    const running = await startWorker(config, (m) => say(io.stderr, m));
    say(
      io.stderr,
      `packgrid: worker running on ${running.handle.kind === 'pglite' ? 'the embedded database' : 'PostgreSQL'}, tick ${config.fetchTickSeconds}s`,
    );
    await untilSignalled(io.stderr, 'worker stopping', () => running.stop());
    return 0;
  },
};
