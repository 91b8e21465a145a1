import type { Db } from './db.js';

/**
 * Changes whenever the database may read differently: a write on this connection (total_changes) or
 * a commit by another connection or process (data_version). Answers built from the database can be
 * kept while the stamp stays the same.
 *
 * total_changes costs 0.1 µs and is read every time, so a write here counts at once. data_version
 * costs 2.3 µs (it opens a read transaction) and is read once per synchronous stretch of work: a
 * request's guard, memo and handler ask for the stamp several times in one stretch, and another
 * process's commit cannot land inside it in any way this process could tell apart from landing
 * just after it.
 */
export class ChangeStamp {
  private readonly total;
  private readonly versionStmt;
  private version: number | undefined;
  private readonly forget = (): void => {
    this.version = undefined;
  };

  constructor(db: Db) {
    this.total = db.prepare('SELECT total_changes()').pluck();
    this.versionStmt = db.prepare('PRAGMA data_version').pluck();
  }

  current(): string {
    if (this.version === undefined) {
      this.version = this.versionStmt.get() as number;
      queueMicrotask(this.forget);
    }
    return `${this.total.get() as number}:${this.version}`;
  }
}
