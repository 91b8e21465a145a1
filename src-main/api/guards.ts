import type { FastifyRequest, onRequestAsyncHookHandler, onRequestHookHandler } from 'fastify';
import type { Store } from '../store/store.js';
import { looksLikeApiToken } from '../store/tokens-repo.js';
import { verifyKnownToken, verifyToken, type Principal, type TokenCheck } from './auth.js';
import { ApiError } from './errors.js';
import { FailureThrottle } from './throttle.js';

export interface Authenticated extends Principal {
  /** When the credential stops being valid (API tokens: never). */
  expiresAtMs: number;
  /** 'jwt' from /v1/auth/login, 'api-token' a long-lived token made by an admin. */
  via: 'jwt' | 'api-token';
}

/** The request property a guard leaves the caller in (a request decorator, see `scoped`). */
export const PRINCIPAL = 'emsPrincipal';

/** The caller a guard has let through. Throws when a route forgot its guard. */
export function principalOf(req: FastifyRequest): Authenticated {
  const p = req[PRINCIPAL];
  if (!p) throw new Error(`route ${req.routeOptions.url ?? req.url} has no auth guard`);
  return p;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the scope's auth guard; null on routes without one. */
    [PRINCIPAL]: Authenticated | null;
  }
  interface FastifyContextConfig {
    /** The route also takes the bearer token as `?token=` (EventSource cannot set headers). */
    queryToken?: boolean;
  }
}

function bearerToken(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (typeof h === 'string') {
    const m = /^Bearer[ ]+([^\s]+)[ ]*$/i.exec(h);
    if (!m) throw unauthorized('invalid_header', 'Authorization header must be "Bearer <token>"');
    return m[1];
  }
  if (req.routeOptions.config.queryToken) {
    const q = (req.query as Record<string, unknown> | undefined)?.token;
    if (typeof q === 'string' && q) return q;
  }
  return undefined;
}

const unauthorized = (code: string, message: string): ApiError =>
  new ApiError(401, code, message, undefined, { 'www-authenticate': 'Bearer realm="ems-webapi"' });

/** The caller a passed token check stands for. */
function admitted(r: { principal: Principal; expiresAtMs: number }): Authenticated {
  return { username: r.principal.username, role: r.principal.role, expiresAtMs: r.expiresAtMs, via: 'jwt' };
}

/**
 * Runs a token check: synchronously when the token was verified before (the usual request), else
 * after its signature is verified. Hooks with `done` instead of async ones, and no closure made per
 * request on the usual path: each was a measurable share of a request to a route that is otherwise
 * answered from memory.
 */
function checkToken(
  store: Store,
  req: FastifyRequest,
  token: string,
  done: (e?: Error) => void,
  then: (req: FastifyRequest, r: TokenCheck) => Error | undefined,
): void {
  const known = verifyKnownToken(store, token);
  if (known) return done(then(req, known));
  verifyToken(store, token).then(
    (r) => done(then(req, r)),
    (e: unknown) => done(e as Error),
  );
}

/** EMS Webapi: `Authorization: Bearer <JWT from /v1/auth/login>`; anything else is a 401. */
export function bearerGuard(store: Store): onRequestHookHandler {
  const then = (req: FastifyRequest, r: TokenCheck): Error | undefined => {
    if (!r.ok)
      return r.reason === 'expired'
        ? unauthorized('token_expired', 'token expired: log in again')
        : unauthorized('invalid_token', 'invalid token');
    req[PRINCIPAL] = admitted(r);
    return undefined;
  };
  return (req, _reply, done) => {
    let token: string | undefined;
    try {
      token = bearerToken(req);
    } catch (e) {
      return done(e as Error);
    }
    if (!token)
      return done(unauthorized('unauthorized', 'authentication required: Authorization: Bearer <token>'));
    checkToken(store, req, token, done, then);
  };
}

/** Admin-only routes run this after the bearer guard. */
export const adminOnly: onRequestAsyncHookHandler = async (req) => {
  if (principalOf(req).role !== 'admin') throw new ApiError(403, 'forbidden', 'this needs an admin account');
};

/** Repeated bad tokens from one address lock it out for a while (429 with Retry-After). */
export function tokenThrottle(): FailureThrottle {
  return new FailureThrottle({
    maxFailures: 20,
    windowMs: 10 * 60_000,
    lockMs: 30_000,
    maxLockMs: 15 * 60_000,
  });
}

/**
 * Telemetry API: `X-Enapter-Auth-Token: <API token or JWT>`. Enapter's status table has 403 for
 * auth: `invalid_header` when the header is missing or malformed, `forbidden` when the token is bad.
 */
export function telemetryGuard(store: Store, throttle: FailureThrottle): onRequestHookHandler {
  const forbidden = (ip: string): ApiError => {
    throttle.fail(ip);
    return new ApiError(403, 'forbidden', 'invalid, expired or revoked token');
  };
  const then = (req: FastifyRequest, r: TokenCheck): Error | undefined => {
    if (!r.ok) return forbidden(req.ip);
    throttle.succeed(req.ip);
    req[PRINCIPAL] = admitted(r);
    return undefined;
  };
  return (req, _reply, done) => {
    const ip = req.ip;
    const state = throttle.check(ip);
    if (state.blocked)
      return done(
        new ApiError(
          429,
          'too_many_requests',
          'too many failed authentications; try again later',
          undefined,
          {
            'retry-after': String(state.retryAfterS),
          },
        ),
      );
    const raw = req.headers['x-enapter-auth-token'];
    const token = typeof raw === 'string' ? raw.trim() : undefined;
    if (!token || /\s/.test(token)) {
      throttle.fail(ip);
      return done(
        new ApiError(403, 'invalid_header', 'X-Enapter-Auth-Token header with one token is required'),
      );
    }
    if (looksLikeApiToken(token)) {
      const t = store.tokens.verify(token);
      if (!t) return done(forbidden(ip));
      throttle.succeed(ip);
      req[PRINCIPAL] = {
        username: `token:${t.id}`,
        role: 'api',
        expiresAtMs: Infinity,
        via: 'api-token',
      };
      return done();
    }
    checkToken(store, req, token, done, then);
  };
}
