import type { Migration } from './migrations.js';

/**
 * Version 6: the audit log of setting writes names the meter it was sent to (bus endpoint and unit
 * id), so a write left `pending` by a killed job — from the CLI, often for a meter not configured in
 * this database — can be found and resolved by the next job on that meter.
 */
export const WRITE_JOURNAL_MIGRATION: Migration = {
  version: 6,
  description: 'config_writes: the meter each write went to, to resolve writes of interrupted jobs',
  up(db) {
    db.exec(`
      ALTER TABLE config_writes ADD COLUMN target TEXT;
      CREATE INDEX config_writes_open ON config_writes(target, outcome);
    `);
  },
};
