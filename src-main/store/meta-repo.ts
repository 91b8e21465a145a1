import { randomBytes } from 'node:crypto';
import type { Db } from './db.js';

export class MetaRepo {
  // Prepared once: the JWT secret is read on every API request, and preparing cost more than reading.
  private readonly getStmt;
  private readonly setStmt;
  /** The secret's text and its bytes, decoded again only when the text changed. */
  private secret: { text: string; bytes: Buffer } | undefined;

  constructor(private readonly db: Db) {
    this.getStmt = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
    this.setStmt = db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
  }

  get(key: string): string | undefined {
    return this.getStmt.get(key) as string | undefined;
  }

  set(key: string, value: string): void {
    this.setStmt.run(key, value);
  }

  /** A value created once per installation (serial number, JWT secret) and then kept. */
  getOrCreate(key: string, make: () => string): string {
    const cur = this.get(key);
    if (cur !== undefined) return cur;
    const v = make();
    this.db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run(key, v);
    return this.get(key) ?? v;
  }

  serialNumber(): string {
    return this.getOrCreate('sn', () => `EMSC-${randomBytes(5).toString('hex').toUpperCase()}`);
  }

  /** Read from the database every time: another process (the CLI) may have rotated it. */
  jwtSecret(): Buffer {
    const text = this.getOrCreate('jwt_secret', () => randomBytes(32).toString('base64'));
    if (this.secret?.text !== text) this.secret = { text, bytes: Buffer.from(text, 'base64') };
    return this.secret.bytes;
  }
}
