import type { Db } from './db.js';

/**
 * Changes whenever the database may read differently: a write on this connection (total_changes) or
 * a commit by another connection or process (data_version). Answers built from the database can be
 * kept while the stamp stays the same; it costs one tiny statement, prepared once.
 */
export class ChangeStamp {
  private readonly stmt;

  constructor(db: Db) {
    this.stmt = db.prepare("SELECT total_changes() || ':' || data_version FROM pragma_data_version").pluck();
  }

  current(): string {
    return this.stmt.get() as string;
  }
}
