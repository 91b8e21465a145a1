import type { Migration } from './migrations.js';

/**
 * Raw samples in compressed blocks (issue 20): one row per signal per closed block (the codec in
 * blocks/). `samples` and `samples_text` stay as they are and become the open block: the live path
 * still writes them once a second, and the block closer moves their rows into blocks in slices —
 * which is also how an existing database is converted, resumably, while the engine runs.
 */
export const SAMPLE_BLOCKS_SQL = `
  CREATE TABLE sample_blocks (
    id INTEGER PRIMARY KEY,
    uid INTEGER NOT NULL,
    text INTEGER NOT NULL CHECK (text IN (0, 1)),
    t0 INTEGER NOT NULL,
    t1 INTEGER NOT NULL,
    n INTEGER NOT NULL,
    data BLOB NOT NULL
  );
  -- A rowid table: WITHOUT ROWID would push blobs past ~1 KB into half-empty overflow pages.
  CREATE INDEX sample_blocks_uid_t0 ON sample_blocks(uid, t0);
  -- Retention deletes whole blocks by their last sample; 'which signals have data then' asks it too.
  CREATE INDEX sample_blocks_t1 ON sample_blocks(t1);
`;

export const SAMPLE_BLOCKS_MIGRATION: Migration = {
  version: 5,
  description: 'raw samples in compressed blocks; samples/samples_text become the open block',
  up(db) {
    db.exec(SAMPLE_BLOCKS_SQL);
  },
};
