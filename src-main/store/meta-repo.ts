import { randomBytes } from 'node:crypto';
import type { Db } from './db.js';

export class MetaRepo {
  constructor(private readonly db: Db) {}

  get(key: string): string | undefined {
    return this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
  }

  set(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
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

  jwtSecret(): Buffer {
    return Buffer.from(
      this.getOrCreate('jwt_secret', () => randomBytes(32).toString('base64')),
      'base64',
    );
  }
}
