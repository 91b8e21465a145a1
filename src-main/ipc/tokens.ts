import type { Engine } from '../engine.js';
import { TokenError } from '../store/tokens-repo.js';
import type { CallContext } from './context.js';
import type { Handlers } from './dispatch.js';
import { HandlerError } from './errors.js';

/**
 * Who vouches for a new token: the signed-in admin over the bridge; in the desktop window (no sign-in)
 * the first admin account, since a token only lives as long as its creator is an admin.
 */
function creator(engine: Engine, call: CallContext): string {
  if (call.caller) return call.caller.username;
  const admin = engine.store.users.list().find((u) => u.role === 'admin');
  if (!admin)
    throw new HandlerError('conflict', 'API tokens need an admin account: add one under Accounts first');
  return admin.username;
}

/** Long-lived API tokens (the API's token repository); the secret is returned once. */
export function tokenHandlers(
  engine: Engine,
): Pick<Handlers, 'tokens.list' | 'tokens.create' | 'tokens.revoke'> {
  const { tokens } = engine.store;
  return {
    'tokens.list': () => tokens.list(),
    'tokens.create': ({ label }, call) => {
      try {
        const { token, info } = tokens.create(label, creator(engine, call));
        return { token: info, secret: token };
      } catch (e) {
        if (e instanceof TokenError) throw new HandlerError('bad_request', e.message);
        throw e;
      }
    },
    'tokens.revoke': ({ id }) => {
      if (!tokens.list().some((t) => t.id === id))
        throw new HandlerError('not_found', `token ${id} does not exist`);
      return { revoked: tokens.revoke(id) };
    },
  };
}

export function tokensAvailable(engine: Engine): boolean {
  return engine.store.users.list().some((u) => u.role === 'admin');
}
