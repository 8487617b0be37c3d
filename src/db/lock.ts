import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Folders this process holds: a second open inside one process corrupts the database just as a second process does.
const held = new Set<string>();

/**
 * Takes an exclusive lock file in the embedded database folder. PGlite itself lets two processes open one
 * folder and corrupt it, so a second packgrid process must stop here with a clear message.
 */
export function acquireDataDirLock(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'packgrid.lock');
  const key = path.resolve(dir);
  if (held.has(key)) {
    throw new ConfigError(`The embedded database in ${dir} is already open in this process (pid ${process.pid}); close it first.`);
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held.add(key);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held.delete(key);
        try {
          unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new ConfigError(
          `The embedded database in ${dir} is already in use by another packgrid process (pid ${pid}). ` +
            'Stop that process first, or point DATA_DIR somewhere else, or use DATABASE_URL for a shared PostgreSQL.',
        );
      }
      // A stale lock from a process that died: take it over.
      unlinkSync(file);
    }
  }
  throw new ConfigError(`Could not take the lock file ${file}`);
}
