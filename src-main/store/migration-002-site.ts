import type { Migration } from './migrations.js';

/**
 * The site (issue 13): one planned installation as a JSON document (validated by the site schema
 * before it is written), the results of commissioning it (plan against the wire, load steps, P1
 * cross-checks) and the hand-over baseline of every meter setting.
 */
export const SITE_MIGRATION: Migration = {
  version: 2,
  description: 'site plan, commissioning results and hand-over baseline',
  up(db) {
    db.exec(`
      CREATE TABLE site (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        doc TEXT NOT NULL,
        updated INTEGER NOT NULL
      );
      CREATE TABLE site_results (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        t INTEGER NOT NULL,
        kind TEXT NOT NULL,
        did INTEGER,
        ok INTEGER NOT NULL,
        doc TEXT NOT NULL
      );
      CREATE INDEX site_results_kind ON site_results(kind, id);
      CREATE TABLE site_baseline (
        did INTEGER NOT NULL,
        key TEXT NOT NULL,
        value REAL,
        choice TEXT,
        error TEXT,
        t INTEGER NOT NULL,
        PRIMARY KEY (did, key)
      ) WITHOUT ROWID;
    `);
  },
};
