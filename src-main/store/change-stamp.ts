import { performance } from 'node:perf_hooks';
import type { Db } from './db.js';

/** How old another process's commit may be before it counts: far below any client's round trip. */
export const FOREIGN_COMMIT_MS = 1;

/**
 * Changes whenever the database may read differently: a write on this connection (total_changes) or
 * a commit by another connection or process (data_version). Answers built from the database can be
 * kept while the stamp stays the same.
 *
 * total_changes costs 0.1 µs and is read every time, so a write here counts at once. data_version
 * opens a read transaction — two fcntl locks and SQLite's snapshot logic, 3 µs alone and about 10 µs
 * inside a busy server, a quarter of what an API request cost on top of a static answer — so it is
 * read at most once per millisecond: another process's commit counts from 1 ms after it landed
 * (a client cannot tell that from its request arriving a moment earlier).
 */
export class ChangeStamp {
  private readonly total;
  private readonly versionStmt;
  private version = 0;
  private checkedAt = -Infinity;

  constructor(db: Db) {
    this.total = db.prepare('SELECT total_changes()').pluck();
    this.versionStmt = db.prepare('PRAGMA data_version').pluck();
  }

  current(): string {
    const now = performance.now();
    if (now - this.checkedAt >= FOREIGN_COMMIT_MS) {
      this.checkedAt = now;
      this.version = this.versionStmt.get() as number;
    }
    return `${this.total.get() as number}:${this.version}`;
  }
}
