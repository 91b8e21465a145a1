export interface ThrottleOptions {
  /** Failures allowed inside the window before the key is locked. */
  maxFailures: number;
  /** Failures older than this are forgotten. */
  windowMs: number;
  /** First lock; each further failure while over the limit doubles it, up to maxLockMs. */
  lockMs: number;
  maxLockMs: number;
  /** Keys remembered at most (the oldest are dropped first), so a flood cannot exhaust memory. */
  maxKeys?: number;
  now?: () => number;
}

interface Entry {
  failures: number;
  firstAt: number;
  lockedUntil: number;
}

export type ThrottleState = { blocked: false } | { blocked: true; retryAfterS: number };
const OPEN: ThrottleState = Object.freeze({ blocked: false });

/** Counts failures per key (username+IP for logins, IP for API tokens) and locks a key that fails too often. */
export class FailureThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;

  constructor(private readonly o: ThrottleOptions) {
    this.now = o.now ?? Date.now;
  }

  check(key: string): ThrottleState {
    if (this.entries.size === 0) return OPEN;
    const e = this.entries.get(key);
    const now = this.now();
    if (!e || e.lockedUntil <= now) return OPEN;
    return { blocked: true, retryAfterS: Math.max(1, Math.ceil((e.lockedUntil - now) / 1000)) };
  }

  fail(key: string): void {
    const now = this.now();
    let e = this.entries.get(key);
    if (!e || (now - e.firstAt > this.o.windowMs && e.lockedUntil <= now)) {
      this.entries.delete(key);
      this.prune(now);
      e = { failures: 0, firstAt: now, lockedUntil: 0 };
      this.entries.set(key, e);
    }
    e.failures++;
    const over = e.failures - this.o.maxFailures;
    if (over >= 0) e.lockedUntil = now + Math.min(this.o.lockMs * 2 ** Math.min(over, 30), this.o.maxLockMs);
  }

  succeed(key: string): void {
    this.entries.delete(key);
  }

  /** When full: first forget keys that are not locked, then the oldest tenth of the locked ones. */
  private prune(now: number): void {
    const max = this.o.maxKeys ?? 10_000;
    if (this.entries.size < max) return;
    for (const [k, e] of this.entries) if (e.lockedUntil <= now) this.entries.delete(k);
    for (const k of this.entries.keys()) {
      if (this.entries.size < max * 0.9) break;
      this.entries.delete(k);
    }
  }
}
