import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Db } from './db.js';

export type Role = 'api' | 'admin';

// N=2^15, r=8, p=1: OWASP's scrypt minimum; ~50 ms per hash on this class of machine.
const N = 1 << 15;
const R = 8;
const P = 1;
const KEYLEN = 32;

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, KEYLEN, { N, r: R, p: P, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64');
  const got = scryptSync(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  });
  return got.length === expected.length && timingSafeEqual(got, expected);
}

export interface User {
  username: string;
  role: Role;
  created: number;
}

export class UsersRepo {
  constructor(private readonly db: Db) {}

  add(username: string, password: string, role: Role): User {
    if (!/^[A-Za-z0-9._@-]{1,64}$/.test(username))
      throw new Error('username: 1-64 characters of letters, digits and . _ @ -');
    if (password.length < 8) throw new Error('password: at least 8 characters');
    const created = Date.now();
    try {
      this.db
        .prepare('INSERT INTO users (username, hash, role, created) VALUES (?, ?, ?, ?)')
        .run(username, hashPassword(password), role, created);
    } catch (err) {
      if (String((err as Error).message).includes('UNIQUE'))
        throw new Error(`user "${username}" already exists`);
      throw err;
    }
    return { username, role, created };
  }

  setPassword(username: string, password: string): boolean {
    if (password.length < 8) throw new Error('password: at least 8 characters');
    return (
      this.db.prepare('UPDATE users SET hash = ? WHERE username = ?').run(hashPassword(password), username)
        .changes > 0
    );
  }

  remove(username: string): boolean {
    return this.db.prepare('DELETE FROM users WHERE username = ?').run(username).changes > 0;
  }

  /** The role of one account, or undefined when there is none (read on every API request). */
  roleOf(username: string): Role | undefined {
    this.roleStmt ??= this.db.prepare('SELECT role FROM users WHERE username = ?').pluck();
    return this.roleStmt.get(username) as Role | undefined;
  }
  private roleStmt: ReturnType<Db['prepare']> | undefined;

  list(): User[] {
    return this.db.prepare('SELECT username, role, created FROM users ORDER BY username').all() as User[];
  }

  /** Checks credentials; returns the user or undefined. Unknown users cost a hash too (no timing oracle). */
  verify(username: string, password: string): User | undefined {
    const row = this.db
      .prepare('SELECT username, role, created, hash FROM users WHERE username = ?')
      .get(username) as (User & { hash: string }) | undefined;
    if (!row) {
      verifyPassword(password, dummyHash());
      return undefined;
    }
    return verifyPassword(password, row.hash)
      ? { username: row.username, role: row.role, created: row.created }
      : undefined;
  }
}

// Made on first use, not at import: a hash costs ~50 ms, and every command that opens a store imports this.
let dummy: string | undefined;
const dummyHash = (): string => (dummy ??= hashPassword('not-a-real-password'));
