import { createUser } from '../../accounts/account.service.js';
import { AppError } from '../../errors.js';
import { say, wantsHelp, type Command } from '../command.js';
import { openForCli } from '../database.js';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
}

/** `packgrid user create <username> [--staff] [--email E]`. */
export const userCommand: Command = {
  name: 'user',
  summary: 'create a user (packgrid user create <username> [--staff] [--email E])',
  usage: 'packgrid user create <username> [--staff] [--email E]\n\nStaff users may delete packages and grids and edit categories.',
  async run(args, io) {
    if (wantsHelp(args)) return (say(io.stdout, this.usage), 0);
    const [sub, username] = args;
    if (sub !== 'create' || username === undefined || username.startsWith('--')) {
      say(io.stderr, this.usage);
      return 2;
    }
    const email = option(args, '--email');
    const { handle } = await openForCli(io.env);
    try {
      const user = await createUser(handle.db, { username, staff: args.includes('--staff'), ...(email !== undefined ? { email } : {}) });
      say(io.stdout, `created user ${user.username} (id ${user.id}${user.isStaff ? ', staff' : ''})`);
      return 0;
    } catch (e) {
      if (e instanceof AppError) {
        say(io.stderr, e.fields ? Object.values(e.fields).flat().join(' ') : e.message);
        return 1;
      }
      throw e;
    } finally {
      await handle.close();
    }
  },
};
