import type { Migration } from './migrations.js';

/**
 * Version 7: an optional deadband per signal (issue 20). A raw sample is stored only when it moved more
 * than `deadband_delta` (in the signal's unit) since the last stored one, or `deadband_gap_s` seconds
 * passed; both NULL: every sample is stored, as before. Applies to samples arriving after it is set.
 */
export const DEADBAND_MIGRATION: Migration = {
  version: 7,
  description: 'signals: optional deadband (delta, longest gap) for storing raw samples',
  up(db) {
    db.exec(`
      ALTER TABLE signals ADD COLUMN deadband_delta REAL;
      ALTER TABLE signals ADD COLUMN deadband_gap_s INTEGER;
    `);
  },
};
