import { createHash, randomBytes } from 'node:crypto';

/** How long a printed sign-in link can be used. */
export const LINK_TTL_MS = 10 * 60_000;

export type Redeemed = 'ok' | 'unknown' | 'expired';

const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * One-time sign-in links for the person at the keyboard, like a notebook server's: `serve` prints a
 * URL with a random token in its fragment (never sent in a request line, so never in an access log);
 * the page posts it once. Kept in memory only, as hashes; each token works once and for 10 minutes.
 */
export class SignInLinks {
  private readonly open = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A fresh token (256 random bits, base64url). */
  issue(): string {
    this.prune();
    const token = randomBytes(32).toString('base64url');
    this.open.set(digest(token), this.now() + LINK_TTL_MS);
    return token;
  }

  /** Uses the token up: whatever the outcome, it never works again. */
  redeem(token: string): Redeemed {
    const key = digest(token);
    const expires = this.open.get(key);
    this.open.delete(key);
    if (expires === undefined) return 'unknown';
    return this.now() > expires ? 'expired' : 'ok';
  }

  private prune(): void {
    const t = this.now();
    for (const [k, exp] of this.open) if (t > exp) this.open.delete(k);
  }
}

/**
 * The link to print, for an API bound to loopback or to every address (then reached over
 * 127.0.0.1 / ::1); none for an API bound to one outside address, which the link could not use.
 */
export function linkBase(apiUrl: string): string | undefined {
  const u = new URL(apiUrl);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (host === '0.0.0.0') u.hostname = '127.0.0.1';
  else if (host === '::') u.hostname = '[::1]';
  else if (!isLoopbackAddress(host) && host !== 'localhost') return undefined;
  return `${u.protocol}//${u.host}/`;
}

/** 127.0.0.0/8, ::1 and IPv4 loopback written as IPv6 (::ffff:127.x.y.z). */
export function isLoopbackAddress(addr: string | undefined): boolean {
  if (!addr) return false;
  const a = addr.replace(/^::ffff:/i, '');
  return a === '::1' || /^127(\.\d{1,3}){3}$/.test(a);
}
