import type { Writable } from 'node:stream';

/** Where a command writes, and the environment it reads. */
export interface Io {
  stdout: Writable;
  stderr: Writable;
  env: Record<string, string | undefined>;
}

/** One `packgrid <name>` command. `run` returns the exit code. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], io: Io): Promise<number>;
}

/** Writes a line to a stream. */
export function say(stream: Writable, text: string): void {
  stream.write(text + '\n');
}

/** True when --help or -h is among the arguments. */
export function wantsHelp(args: string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}
