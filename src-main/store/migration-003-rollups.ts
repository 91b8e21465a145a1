import type { Migration } from './migrations.js';

/** Version 3: roll-ups that answer every aggregation, materialised coarser levels, text samples. */
export const ROLLUP_MIGRATION: Migration = {
  version: 3,
  description: 'roll-ups keep sum and last value with its time; 1 h and 1 d roll-ups; text samples',
  up(db) {
    db.exec(`
      -- sm: sum of the period's samples (means of coarser buckets and of counters stay exact);
      -- lv/lt: the period's last sample and its time (ms), so 'last' never answers a mean.
      ALTER TABLE history ADD COLUMN sm REAL;
      ALTER TABLE history ADD COLUMN lv REAL;
      ALTER TABLE history ADD COLUMN lt INTEGER;
      -- Periods rolled up before version 3: take the last sample while raw samples are still kept;
      -- otherwise the best that is known (a gauge's mean, a counter's period-end reading).
      UPDATE history SET
        sm = CASE WHEN (SELECT kind FROM signals WHERE uid = history.uid) = 'counter'
               THEN coalesce((SELECT sum(v) FROM samples s WHERE s.uid = history.uid
                              AND s.t >= (history.p - 60) * 1000 AND s.t < history.p * 1000), v * n)
               ELSE v * n END,
        lt = coalesce((SELECT max(t) FROM samples s WHERE s.uid = history.uid
                       AND s.t >= (history.p - 60) * 1000 AND s.t < history.p * 1000), t * 1000);
      UPDATE history SET lv = coalesce((SELECT v FROM samples s WHERE s.uid = history.uid AND s.t = history.lt), v);
      -- Materialised coarser roll-ups, keyed by bucket start b (Unix s), built from the 60-s rows.
      CREATE TABLE history_1h (
        uid INTEGER NOT NULL, b INTEGER NOT NULL, n INTEGER NOT NULL, sm REAL NOT NULL,
        min REAL NOT NULL, max REAL NOT NULL, lv REAL NOT NULL, lt INTEGER NOT NULL,
        PRIMARY KEY (uid, b)
      ) WITHOUT ROWID;
      CREATE TABLE history_1d (
        uid INTEGER NOT NULL, b INTEGER NOT NULL, n INTEGER NOT NULL, sm REAL NOT NULL,
        min REAL NOT NULL, max REAL NOT NULL, lv REAL NOT NULL, lt INTEGER NOT NULL,
        PRIMARY KEY (uid, b)
      ) WITHOUT ROWID;
      -- A bare column beside several min()/max() is taken from an arbitrary row: last values by subquery.
      INSERT INTO history_1h (uid, b, n, sm, min, max, lv, lt)
        WITH g AS (SELECT uid, ((p - 60) / 3600) * 3600 AS hb, sum(n) AS n, sum(sm) AS sm,
                          min(min) AS mn, max(max) AS mx, max(lt) AS lt FROM history GROUP BY uid, hb)
        SELECT uid, hb, n, sm, mn, mx,
               (SELECT h.lv FROM history h WHERE h.uid = g.uid AND h.p > g.hb AND h.p <= g.hb + 3600
                ORDER BY h.lt DESC LIMIT 1), lt FROM g;
      INSERT INTO history_1d (uid, b, n, sm, min, max, lv, lt)
        WITH g AS (SELECT uid, (b / 86400) * 86400 AS db, sum(n) AS n, sum(sm) AS sm,
                          min(min) AS mn, max(max) AS mx, max(lt) AS lt FROM history_1h GROUP BY uid, db)
        SELECT uid, db, n, sm, mn, mx,
               (SELECT h.lv FROM history_1h h WHERE h.uid = g.uid AND h.b >= g.db AND h.b < g.db + 86400
                ORDER BY h.lt DESC LIMIT 1), lt FROM g;
      -- Text signals (messages, identifiers): raw samples kept like numbers, and each minute's last text.
      CREATE TABLE samples_text (
        uid INTEGER NOT NULL, t INTEGER NOT NULL, v TEXT NOT NULL, PRIMARY KEY (uid, t)
      ) WITHOUT ROWID;
      CREATE INDEX samples_text_t ON samples_text(t);
      CREATE TABLE history_text (
        uid INTEGER NOT NULL, p INTEGER NOT NULL, lt INTEGER NOT NULL, lv TEXT NOT NULL,
        PRIMARY KEY (uid, p)
      ) WITHOUT ROWID;
    `);
  },
};
