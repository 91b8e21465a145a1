import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { LINK_SIGNIN_PATH } from '../../src-preload/contract/bridge.js';
import { issueToken, LOCAL_ADMIN } from '../api/auth.js';
import { ApiError } from '../api/errors.js';
import { isLoopbackAddress, type SignInLinks } from '../api/signin-link.js';
import type { Engine } from '../engine.js';
import { logger } from '../util/log.js';

const Body = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });
const log = logger('signin-link');

/**
 * The browser UI trades the sign-in link's token for a session as the local admin. Only over
 * loopback: the link is for the person at this computer; from anywhere else accounts are needed.
 * The socket's own address decides (never a forwarded-for header).
 */
export function linkSigninRoute(
  app: FastifyInstance,
  target: () => { engine: Engine; links: SignInLinks } | undefined,
): void {
  app.post<{ Body: Static<typeof Body> }>(LINK_SIGNIN_PATH, { schema: { body: Body } }, async (req) => {
    if (!isLoopbackAddress(req.socket.remoteAddress))
      throw new ApiError(
        403,
        'forbidden',
        'the sign-in link works only on the computer running EMS Commissioner',
      );
    const rt = target();
    if (!rt) throw new ApiError(503, 'starting', 'the engine is starting; try again in a moment');
    const outcome = rt.links.redeem(req.body.token);
    if (outcome !== 'ok') {
      log.info({ outcome }, 'sign-in link refused');
      throw outcome === 'expired'
        ? new ApiError(401, 'link_expired', 'this sign-in link has expired')
        : new ApiError(401, 'link_used', 'this sign-in link was used already or is not valid');
    }
    log.info('signed in with the one-time link');
    return { token: await issueToken(rt.engine.store, LOCAL_ADMIN) };
  });
}
