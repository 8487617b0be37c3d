import { loadConfig } from '../../config.js';
import { buildDemoTemplate } from '../../interchange/demo-template.js';
import { say, wantsHelp, type Command } from '../command.js';

/** `packgrid demo-template`: prebuilds the seeded embedded database that makes the first start fast. */
export const demoTemplateCommand: Command = {
  name: 'demo-template',
  summary: 'prebuild the seeded demo database so the first start is fast (npm install runs it)',
  usage: [
    'packgrid demo-template',
    '',
    'Builds the migrated database with the demo data loaded, for TIME_ZONE, as a PGlite tarball under',
    'node_modules/.cache/packgrid/. `packgrid serve` on an empty DATA_DIR copies it instead of seeding from scratch;',
    'without it (or when the code changed since) the server seeds the database itself.',
  ].join('\n'),
  async run(args, io) {
    if (wantsHelp(args)) return (say(io.stdout, this.usage), 0);
    const config = loadConfig(io.env);
    const started = performance.now();
    const file = await buildDemoTemplate(config.timeZone);
    say(io.stderr, `packgrid: demo database template ready in ${Math.round(performance.now() - started)} ms: ${file}`);
    return 0;
  },
};
