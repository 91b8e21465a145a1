import type { Db } from './db.js';

export const PERIOD_S = 60;
const PERIOD_MS = PERIOD_S * 1000;

/** End of the 60-s period a sample at `tMs` belongs to, in Unix seconds: periods are [p-60, p). */
export function periodEnd(tMs: number): number {
  return (Math.floor(tMs / PERIOD_MS) + 1) * PERIOD_S;
}

interface PeriodRow {
  uid: number;
  p: number;
  tl: number;
  mean: number;
  mx: number;
  mn: number;
  n: number;
  last: number;
  first: number;
}

/**
 * Recomputes the history rows of every period overlapping [fromMs, toMs) from the raw samples.
 * SQLite aggregates per (signal, period); only one row per period reaches JS.
 * Gauges: v = mean. Counters: v = last value, d = increase since the previous period's last value
 * (or since the first sample of the period when there is no earlier period).
 */
export function rollupRange(db: Db, fromMs: number, toMs: number, uids?: readonly number[]): number {
  const start = Math.floor(fromMs / PERIOD_MS) * PERIOD_MS;
  const end = Math.ceil(toMs / PERIOD_MS) * PERIOD_MS;
  if (end <= start) return 0;
  const kinds = new Map<number, string>(
    (db.prepare('SELECT uid, kind FROM signals').all() as { uid: number; kind: string }[]).map((r) => [
      r.uid,
      r.kind,
    ]),
  );
  const filter = uids?.length ? `AND uid IN (${uids.map(() => '?').join(',')})` : '';
  const periods = db
    .prepare(
      `WITH g AS (
         SELECT uid, (t / ${PERIOD_MS} + 1) * ${PERIOD_S} AS p, max(t) AS tl, min(t) AS tf,
                avg(v) AS mean, max(v) AS mx, min(v) AS mn, count(*) AS n
         FROM samples WHERE t >= ? AND t < ? ${filter} GROUP BY uid, p)
       SELECT g.uid, g.p, g.tl, g.mean, g.mx, g.mn, g.n, sl.v AS last, sf.v AS first
       FROM g JOIN samples sl ON sl.uid = g.uid AND sl.t = g.tl
              JOIN samples sf ON sf.uid = g.uid AND sf.t = g.tf
       ORDER BY g.uid, g.p`,
    )
    .all(start, end, ...(uids ?? [])) as PeriodRow[];
  const prevLast = db
    .prepare('SELECT v FROM history WHERE uid = ? AND p < ? ORDER BY p DESC LIMIT 1')
    .pluck();
  const upsert = db.prepare(
    `INSERT INTO history (uid, p, t, v, d, max, min, n) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (uid, p) DO UPDATE SET t = excluded.t, v = excluded.v, d = excluded.d,
       max = excluded.max, min = excluded.min, n = excluded.n`,
  );
  db.transaction(() => {
    let prevUid = -1;
    let before: number | undefined;
    for (const r of periods) {
      if (r.uid !== prevUid) {
        prevUid = r.uid;
        before = prevLast.get(r.uid, r.p) as number | undefined;
      }
      const t = Math.floor(r.tl / 1000);
      if (kinds.get(r.uid) === 'counter') {
        upsert.run(r.uid, r.p, t, r.last, r.last - (before ?? r.first), r.mx, r.mn, r.n);
        before = r.last;
      } else {
        upsert.run(r.uid, r.p, t, r.mean, 0, r.mx, r.mn, r.n);
      }
    }
  })();
  return periods.length;
}
