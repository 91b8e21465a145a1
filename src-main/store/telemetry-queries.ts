import type { Db } from './db.js';
import { PERIOD_S } from './rollup.js';

export type BucketAggregation = 'avg' | 'last' | 'min' | 'max';

export interface BucketQuery {
  uid: number;
  /** Samples at or after this instant (ms) … */
  fromMs: number;
  /** … and before this one (ms). */
  toMs: number;
  /** Bucket width in whole seconds; buckets start at multiples of it since the epoch. */
  bucketS: number;
  aggregation: BucketAggregation;
  /** Roll-ups of counters hold minute-end readings, of gauges minute means: avg differs. */
  kind: 'gauge' | 'counter';
}

/** One aggregated bucket: `ts` its start (Unix s). */
export interface Bucket {
  ts: number;
  v: number;
}

export interface LatestValue {
  uid: number;
  v: number | null;
  sv: string | null;
  t: number;
}

/** Buckets of whole minutes are computed from the 60-s roll-ups, finer ones from raw samples. */
export function usesRollups(bucketS: number): boolean {
  return bucketS >= PERIOD_S && bucketS % PERIOD_S === 0;
}

// Bucket widths are bound as BigInt: better-sqlite3 binds plain numbers as REAL, and REAL division
// would not truncate to the bucket start.
// SQLite returns the bare column `v` from the row that holds max(t) / max(p): the last value.
const RAW_SQL: Record<BucketAggregation, string> = {
  avg: 'avg(v) AS v',
  min: 'min(v) AS v',
  max: 'max(v) AS v',
  last: 'v, max(t) AS tl',
};
const ROLLUP_SQL: Record<BucketAggregation | 'avgCounter', string> = {
  // Means of minutes weighted by their sample counts give the exact mean of the bucket.
  avg: 'sum(v * n) / sum(n) AS v',
  // A counter's minutes hold its reading at the minute's end: their plain mean.
  avgCounter: 'avg(v) AS v',
  min: 'min("min") AS v',
  max: 'max("max") AS v',
  last: 'v, max(p) AS pl',
};

/**
 * The Telemetry API's time-bucket queries. SQLite does the grouping: one row per bucket reaches JS.
 */
export class TelemetryQueries {
  constructor(private readonly db: Db) {}

  buckets(q: BucketQuery): Bucket[] {
    return usesRollups(q.bucketS) ? this.fromRollups(q) : this.fromRaw(q);
  }

  private fromRaw(q: BucketQuery): Bucket[] {
    const g = q.bucketS * 1000;
    const rows = this.db
      .prepare(
        `SELECT (t / $g) * $g AS b, ${RAW_SQL[q.aggregation]}
         FROM samples WHERE uid = $uid AND t >= $from AND t < $to GROUP BY b ORDER BY b`,
      )
      .all({ g: BigInt(g), uid: q.uid, from: Math.max(0, q.fromMs), to: q.toMs }) as {
      b: number;
      v: number;
    }[];
    return rows.map((r) => ({ ts: r.b / 1000, v: r.v }));
  }

  /**
   * Roll-ups hold whole minutes: a minute [p-60, p) is counted when it overlaps [from, to). The
   * current minute is not rolled up yet, so it has no value here. Exact for avg/min/max of gauges and
   * min/max/last of counters; `last` of a gauge is the mean of its last minute, `avg` of a counter
   * the mean of its minute-end readings.
   */
  private fromRollups(q: BucketQuery): Bucket[] {
    const firstMinute = Math.floor(Math.max(0, q.fromMs) / (PERIOD_S * 1000)) * PERIOD_S;
    const rows = this.db
      .prepare(
        `SELECT ((p - ${PERIOD_S}) / $g) * $g AS b, ${ROLLUP_SQL[q.aggregation === 'avg' && q.kind === 'counter' ? 'avgCounter' : q.aggregation]}
         FROM history WHERE uid = $uid AND p >= $pLo AND p < $pHi GROUP BY b ORDER BY b`,
      )
      .all({
        g: BigInt(q.bucketS),
        uid: q.uid,
        pLo: firstMinute + PERIOD_S,
        pHi: Math.ceil((q.toMs + PERIOD_S * 1000) / 1000),
      }) as { b: number; v: number }[];
    return rows.map((r) => ({ ts: r.b, v: r.v }));
  }

  /**
   * The last value of a signal in [sinceMs, beforeMs): the raw sample when one is still kept, else
   * the last roll-up ending in that window (raw samples are trimmed after the retention time).
   */
  lastBefore(uid: number, sinceMs: number, beforeMs: number): number | undefined {
    if (beforeMs <= sinceMs) return undefined;
    const raw = this.db
      .prepare('SELECT v FROM samples WHERE uid = ? AND t >= ? AND t < ? ORDER BY t DESC LIMIT 1')
      .pluck()
      .get(uid, sinceMs, beforeMs) as number | undefined;
    if (raw !== undefined) return raw;
    return this.db
      .prepare(
        'SELECT v FROM history WHERE uid = ? AND t * 1000 >= ? AND p * 1000 <= ? ORDER BY p DESC LIMIT 1',
      )
      .pluck()
      .get(uid, sinceMs, beforeMs) as number | undefined;
  }

  /** The realtime row of each uid that has one. */
  latest(uids: readonly number[]): Map<number, LatestValue> {
    if (!uids.length) return new Map();
    const rows = this.db
      .prepare('SELECT uid, v, sv, t FROM realtime WHERE uid IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(uids)) as LatestValue[];
    return new Map(rows.map((r) => [r.uid, r]));
  }
}
