import type { HostContext } from './context.js';
import type { Handlers } from './dispatch.js';
import { HandlerError } from './errors.js';

type UserHandlers = Pick<Handlers, 'users.list' | 'users.add' | 'users.remove' | 'users.password'>;

/** Accounts for the API and the browser UI: the same repository the CLI's `users` command uses. */
export function userHandlers(ctx: HostContext): UserHandlers {
  const { users } = ctx.engine.store;
  return {
    'users.list': () => users.list(),
    'users.add': ({ username, password, role }) => {
      try {
        return users.add(username, password, role);
      } catch (e) {
        const msg = (e as Error).message;
        throw new HandlerError(msg.includes('already exists') ? 'conflict' : 'bad_request', msg);
      }
    },
    'users.remove': ({ username }, call) => {
      if (call.caller?.username === username)
        throw new HandlerError('conflict', 'you cannot remove the account you are signed in with');
      const target = users.list().find((u) => u.username === username);
      const admins = users.list().filter((u) => u.role === 'admin');
      if (target?.role === 'admin' && admins.length === 1 && call.caller)
        throw new HandlerError('conflict', 'this is the last admin account; add another admin first');
      return { removed: users.remove(username) };
    },
    'users.password': ({ username, password }) => {
      if (!users.list().some((u) => u.username === username))
        throw new HandlerError('not_found', `account "${username}" does not exist`);
      return { changed: users.setPassword(username, password) };
    },
  };
}
