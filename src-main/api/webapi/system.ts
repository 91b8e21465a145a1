import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../engine.js';
import { issueToken, TOKEN_TTL_S } from '../auth.js';
import { ApiError } from '../errors.js';
import { bearerGuard } from '../guards.js';
import { errorResponses, WebapiError } from '../schemas/common.js';
import { scoped } from '../scope.js';
import { FailureThrottle } from '../throttle.js';
import { primaryMac } from './mac.js';

const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64, examples: ['admin'] }),
  password: Type.String({ minLength: 1, maxLength: 1024, examples: ['s3cret!'] }),
});

/** Five wrong passwords for one username from one address lock that pair for 30 s, doubling per further miss. */
export const LOGIN_THROTTLE = {
  maxFailures: 5,
  windowMs: 15 * 60_000,
  lockMs: 30_000,
  maxLockMs: 15 * 60_000,
};

/** Login (public), serial number and MAC. */
export async function systemRoutes(app: FastifyInstance, engine: Engine): Promise<void> {
  const store = engine.store;
  const throttle = new FailureThrottle(LOGIN_THROTTLE);

  await scoped(app, undefined, (s) => {
    s.post<{ Body: Static<typeof LoginBody> }>(
      '/v1/auth/login',
      {
        schema: {
          tags: ['Auth'],
          summary: 'Log in with an API or admin account',
          description:
            `Returns a JWT (HS256) that expires ${TOKEN_TTL_S / 60} minutes after issue; send it as ` +
            '`Authorization: Bearer <token>`. Accounts with the role `api` or `admin` may log in (admin ' +
            'includes api). After 5 wrong passwords for one username from one address, further attempts ' +
            'get 429 with Retry-After for 30 s, doubling with each further failure (at most 15 min).',
          security: [],
          body: LoginBody,
          response: {
            200: Type.Object({ token: Type.String({ description: 'JWT', examples: ['eyJhbGciOi…<jwt>…'] }) }),
            ...errorResponses(WebapiError, [400, 401, 413, 415, 429]),
          },
        },
      },
      async (req) => {
        const { username, password } = req.body;
        const key = `${username}\n${req.ip}`;
        const state = throttle.check(key);
        if (state.blocked)
          throw new ApiError(429, 'too_many_attempts', 'too many failed logins; try again later', undefined, {
            'retry-after': String(state.retryAfterS),
          });
        const user = store.users.verify(username, password);
        if (!user || (user.role !== 'api' && user.role !== 'admin')) {
          throttle.fail(key);
          throw new ApiError(401, 'invalid_credentials', 'wrong username or password');
        }
        throttle.succeed(key);
        return { token: await issueToken(store, { username: user.username, role: user.role }) };
      },
    );
  });

  await scoped(app, bearerGuard(store), (s) => {
    s.get(
      '/v1/sn',
      {
        schema: {
          tags: ['System'],
          summary: 'Serial number of this installation',
          response: {
            200: Type.Object({ sn: Type.String({ examples: ['EMSC-0A1B2C3D4E'] }) }),
            ...errorResponses(WebapiError, [401]),
          },
        },
      },
      async () => ({ sn: store.meta.serialNumber() }),
    );
    s.get(
      '/v1/mac',
      {
        schema: {
          tags: ['System'],
          summary: "MAC address of the host's primary network interface",
          description:
            'The first non-internal interface (by name) with an IPv4 address; without one, a stable ' +
            "locally administered address derived from the installation's serial number.",
          response: {
            200: Type.Object({ mac: Type.String({ examples: ['00:1A:2B:3C:4D:5E'] }) }),
            ...errorResponses(WebapiError, [401]),
          },
        },
      },
      async () => ({ mac: primaryMac(store.meta.serialNumber()) }),
    );
  });
}
