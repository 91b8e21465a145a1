import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from './db.js';

/** A long-lived API token as listed: the secret itself is never stored, only its SHA-256. */
export interface ApiToken {
  id: string;
  label: string;
  createdBy: string;
  created: number;
  revoked: boolean;
}

export class TokenError extends Error {
  constructor(
    message: string,
    readonly reason: 'bad_label' | 'not_admin',
  ) {
    super(message);
    this.name = 'TokenError';
  }
}

// emsc_<16 hex id>_<32 random bytes, base64url>: the id finds the row, the whole string is hashed.
const TOKEN_RE = /^emsc_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const LABEL_RE = /^[^\p{Cc}]{1,100}$/u;

const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

interface TokenRow {
  id: string;
  hash: string;
  label: string;
  created_by: string;
  created: number;
  revoked: number;
}

const toToken = (r: TokenRow): ApiToken => ({
  id: r.id,
  label: r.label,
  createdBy: r.created_by,
  created: r.created,
  revoked: r.revoked === 1,
});

export class TokensRepo {
  constructor(private readonly db: Db) {}

  /** Creates a token for an admin account; the returned secret is shown once and cannot be recovered. */
  create(label: string, createdBy: string, now = Date.now()): { token: string; info: ApiToken } {
    if (!LABEL_RE.test(label))
      throw new TokenError('label: 1-100 characters, no control characters', 'bad_label');
    const role = this.db.prepare('SELECT role FROM users WHERE username = ?').pluck().get(createdBy) as
      string | undefined;
    if (role !== 'admin')
      throw new TokenError(
        `"${createdBy}" is not an admin account: only admins create API tokens`,
        'not_admin',
      );
    const id = randomBytes(8).toString('hex');
    const token = `emsc_${id}_${randomBytes(32).toString('base64url')}`;
    this.db
      .prepare(
        'INSERT INTO api_tokens (id, hash, label, created_by, created, revoked) VALUES (?, ?, ?, ?, ?, 0)',
      )
      .run(id, sha256(token).toString('hex'), label, createdBy, now);
    return { token, info: { id, label, createdBy, created: now, revoked: false } };
  }

  list(): ApiToken[] {
    return (this.db.prepare('SELECT * FROM api_tokens ORDER BY created, id').all() as TokenRow[]).map(
      toToken,
    );
  }

  /** Marks a token revoked (kept for the record). False when there is no such token. */
  revoke(id: string): boolean {
    return this.db.prepare('UPDATE api_tokens SET revoked = 1 WHERE id = ?').run(id).changes > 0;
  }

  /**
   * The token's record when the secret matches, it is not revoked and its creator is still an admin
   * (removing or demoting an admin retires the tokens they made).
   */
  verify(token: string): ApiToken | undefined {
    const m = TOKEN_RE.exec(token);
    if (!m) return undefined;
    // Prepared once: this runs on every Telemetry API request made with an API token.
    this.verifyStmt ??= this.db.prepare(
      `SELECT t.* FROM api_tokens t JOIN users u ON u.username = t.created_by AND u.role = 'admin'
       WHERE t.id = ?`,
    );
    const row = this.verifyStmt.get(m[1]!) as TokenRow | undefined;
    if (!row || row.revoked) return undefined;
    const want = Buffer.from(row.hash, 'hex');
    const got = sha256(token);
    return want.length === got.length && timingSafeEqual(want, got) ? toToken(row) : undefined;
  }
  private verifyStmt: ReturnType<Db['prepare']> | undefined;
}

export function looksLikeApiToken(token: string): boolean {
  return token.startsWith('emsc_');
}
