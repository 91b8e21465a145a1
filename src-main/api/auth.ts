import { jwtVerify, SignJWT, errors as joseErrors, type JWTPayload } from 'jose';
import type { Store } from '../store/store.js';
import type { Role } from '../store/users-repo.js';

export const TOKEN_TTL_S = 30 * 60;
const ALG = 'HS256';
const ISSUER = 'ems-commissioner';

export interface Principal {
  username: string;
  role: Role;
  /** Signed in with the one-time link at this computer: no account behind it, loopback only. */
  local?: true;
}

/**
 * The person at the keyboard, signed in through the one-time link `serve` printed. A space keeps it
 * apart from every account name (accounts are [A-Za-z0-9._@-]).
 */
export const LOCAL_ADMIN: Principal = { username: 'local admin', role: 'admin', local: true };

/** Issues a JWT (HS256, per-installation secret) that expires 30 minutes after issue. */
export async function issueToken(store: Store, p: Principal, now = Date.now()): Promise<string> {
  const iat = Math.floor(now / 1000);
  return new SignJWT(p.local ? { role: p.role, loc: true } : { role: p.role })
    .setProtectedHeader({ alg: ALG, typ: 'JWT' })
    .setSubject(p.username)
    .setIssuer(ISSUER)
    .setIssuedAt(iat)
    .setExpirationTime(iat + TOKEN_TTL_S)
    .sign(store.meta.jwtSecret());
}

export type TokenCheck =
  { ok: true; principal: Principal; expiresAtMs: number } | { ok: false; reason: 'expired' | 'invalid' };

/**
 * Verifies a token with the one allowed algorithm: `alg: none`, other algorithms, a foreign key,
 * tampering and expiry all fail. The account must still exist with the role the token names.
 * A local admin's token (from the sign-in link) counts only where the caller says the request came
 * over loopback to the browser UI (`local`); the APIs never take it.
 */
export async function verifyToken(
  store: Store,
  token: string,
  o: { local?: boolean } = {},
): Promise<TokenCheck> {
  const known = verifyKnownToken(store, token, o);
  if (known) return known;
  try {
    const secret = accounts(store).secret();
    const { payload } = await jwtVerify(token, secret, { algorithms: [ALG], issuer: ISSUER });
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
    verified.set(token, { secret, payload });
    // Accounts as they are after the wait, not as before it.
    return claimsCheck(accounts(store), payload, o);
  } catch (e) {
    return { ok: false, reason: e instanceof joseErrors.JWTExpired ? 'expired' : 'invalid' };
  }
}

/**
 * `verifyToken` without waiting, for a token whose signature was verified before against the
 * current secret (every request after a client's first): undefined when it has to be verified.
 * Guards take this path synchronously, so a request costs no promise for its auth.
 */
export function verifyKnownToken(
  store: Store,
  token: string,
  o: { local?: boolean } = {},
): TokenCheck | undefined {
  const hit = verified.get(token);
  if (!hit) return undefined;
  const view = accounts(store);
  if (!hit.secret.equals(view.secret())) return undefined;
  if (typeof hit.payload.exp === 'number' && hit.payload.exp * 1000 <= Date.now()) {
    verified.delete(token);
    return { ok: false, reason: 'expired' };
  }
  return claimsCheck(view, hit.payload, o);
}

/** What a verified token's claims allow, checked against the accounts as they are now. */
function claimsCheck(view: AccountView, payload: JWTPayload, o: { local?: boolean }): TokenCheck {
  if (payload.loc !== undefined) {
    if (
      payload.loc !== true ||
      !o.local ||
      payload.sub !== LOCAL_ADMIN.username ||
      typeof payload.exp !== 'number'
    )
      return { ok: false, reason: 'invalid' };
    return { ok: true, principal: LOCAL_ADMIN, expiresAtMs: payload.exp * 1000 };
  }
  const username = payload.sub;
  const role = payload.role;
  if (typeof username !== 'string' || (role !== 'api' && role !== 'admin'))
    return { ok: false, reason: 'invalid' };
  // Checked on every request: an account removed or changed (also by another process) counts at once.
  if (view.roleOf(username) !== role) return { ok: false, reason: 'invalid' };
  if (typeof payload.exp !== 'number') return { ok: false, reason: 'invalid' };
  return { ok: true, principal: { username, role }, expiresAtMs: payload.exp * 1000 };
}

/**
 * Tokens whose signature and claims were verified, with the secret they were verified against: the
 * HMAC check through WebCrypto was the slowest step of every API request. A hit is still refused
 * once expired or when the installation's secret changed; the account is checked on every use.
 */
const verified = new Map<string, { secret: Buffer; payload: JWTPayload }>();
const VERIFIED_MAX = 1000;

/**
 * The secret and the accounts' roles as of one database change stamp: a token check costs the stamp
 * instead of a query each, and any write (a removed account, a rotated secret, also by another
 * process) changes the stamp, so nothing is answered from before it.
 */
class AccountView {
  private key: Buffer | undefined;
  private readonly roles = new Map<string, Role | undefined>();

  constructor(
    private readonly store: Store,
    readonly stamp: string,
  ) {}

  secret(): Buffer {
    return (this.key ??= this.store.meta.jwtSecret());
  }

  roleOf(username: string): Role | undefined {
    if (!this.roles.has(username)) this.roles.set(username, this.store.users.roleOf(username));
    return this.roles.get(username);
  }
}
const views = new WeakMap<Store, AccountView>();

function accounts(store: Store): AccountView {
  const stamp = store.changes.current();
  let v = views.get(store);
  if (v?.stamp !== stamp) views.set(store, (v = new AccountView(store, stamp)));
  return v;
}
