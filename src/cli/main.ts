import { ConfigError } from '../errors.js';
import { say, type Io } from './command.js';
import { commands } from './commands/index.js';

function help(io: Io): void {
  say(io.stdout, 'packgrid: a directory of reusable packages, with comparison grids, fresh metrics and an API.\n');
  say(io.stdout, 'Usage: packgrid <command> [options]   (packgrid <command> --help for details)\n');
  say(io.stdout, 'Commands:');
  for (const c of commands) say(io.stdout, `  ${c.name.padEnd(10)} ${c.summary}`);
}

/** Runs one CLI invocation and returns its exit code (never calls process.exit itself). */
export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    help(io);
    return name ? 0 : 2;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    say(io.stderr, `packgrid: unknown command "${name}"\n`);
    help(io);
    return 2;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof ConfigError) {
      say(io.stderr, `packgrid: ${e.message}`);
      return 1;
    }
    say(io.stderr, `packgrid ${name}: ${(e as Error).message}`);
    return 1;
  }
}
