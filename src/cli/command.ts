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

/** Resolves after SIGINT or SIGTERM, once `stop` has finished (long-running commands: serve, worker). */
export function untilSignalled(stream: Writable, label: string, stop: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    const onSignal = (): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      say(stream, `packgrid: ${label}...`);
      stop().then(resolve, resolve);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
