import { createToken, revokeToken } from '../../accounts/account.service.js';
import { AppError } from '../../errors.js';
import { say, wantsHelp, type Command } from '../command.js';
import { openForCli } from '../database.js';

/** `packgrid token create <username> [--name N]` and `packgrid token revoke <key-prefix-or-id>`. */
export const tokenCommand: Command = {
  name: 'token',
  summary: 'create or revoke API tokens (Authorization: Token <key>)',
  usage:
    'packgrid token create <username> [--name N]   prints the key once (only its sha256 is stored)\n' +
    'packgrid token revoke <key-prefix-or-id>',
  async run(args, io) {
    if (wantsHelp(args)) return (say(io.stdout, this.usage), 0);
    const [sub, target] = args;
    if ((sub !== 'create' && sub !== 'revoke') || target === undefined) {
      say(io.stderr, this.usage);
      return 2;
    }
    const { handle } = await openForCli(io.env);
    try {
      if (sub === 'create') {
        const i = args.indexOf('--name');
        const t = await createToken(handle.db, target, i === -1 ? '' : (args[i + 1] ?? ''));
        say(io.stderr, `token ${t.id} for ${target} (prefix ${t.prefix}); the key is shown only now:`);
        say(io.stdout, t.key);
        return 0;
      }
      const n = await revokeToken(handle.db, target);
      if (n === 0) {
        say(io.stderr, `no live token matches "${target}"`);
        return 1;
      }
      say(io.stdout, `revoked ${n} token${n === 1 ? '' : 's'}`);
      return 0;
    } catch (e) {
      if (e instanceof AppError) {
        say(io.stderr, e.message);
        return 1;
      }
      throw e;
    } finally {
      await handle.close();
    }
  },
};
