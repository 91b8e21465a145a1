import type { Statement } from 'better-sqlite3';
import type { Db } from './db.js';

/** One raw sample of a numeric (or boolean, as 0/1) signal: time in Unix ms. */
export interface RawPoint {
  t: number;
  v: number;
}

/** Position in the raw samples, ordered by time then signal uid. */
export interface RawCursor {
  t: number;
  uid: number;
}

/** One raw sample of a text signal. */
export interface RawText {
  t: number;
  v: string;
}

/** What a bucket query over raw samples computes; one row per bucket reaches JS. */
export type RawAggregation = 'avg' | 'min' | 'max' | 'last';

/** A bucket of raw samples: `b` its start (Unix ns, as bigint), `v` its value. */
export interface RawBucket {
  b: bigint;
  v: number | string;
}

// Bucket indexes are computed on nanoseconds (t ms × 10^6 still fits in 64 bits until year 2262) so
// any positive duration of the grammar is a bucket width; widths are bound as BigInt because
// better-sqlite3 binds plain numbers as REAL and REAL division would not truncate.
// A bare column beside exactly one max() comes from the row holding that max: the last value.
const BUCKET_SQL: Record<RawAggregation, string> = {
  avg: 'avg(v) AS v',
  min: 'min(v) AS v',
  max: 'max(v) AS v',
  last: 'v, max(t) AS tl',
};

/**
 * The one place that reads and writes raw samples. Everything above it (roll-ups, telemetry
 * buckets, gap filling) asks for samples through these calls, so raw samples can later come from
 * another storage (e.g. compressed blocks) without touching the callers.
 */
export class RawSamples {
  private readonly ins;
  private readonly insText;
  private readonly pointsStmt;
  private readonly textsStmt;
  private readonly lastStmt;
  private readonly lastTextStmt;
  private readonly bucketStmts = new Map<string, ReturnType<Db['prepare']>>();

  constructor(private readonly db: Db) {
    this.ins = db.prepare('INSERT OR REPLACE INTO samples (uid, t, v) VALUES (?, ?, ?)');
    this.insText = db.prepare('INSERT OR REPLACE INTO samples_text (uid, t, v) VALUES (?, ?, ?)');
    this.pointsStmt = db.prepare('SELECT t, v FROM samples WHERE uid = ? AND t >= ? AND t < ? ORDER BY t');
    this.textsStmt = db.prepare(
      'SELECT t, v FROM samples_text WHERE uid = ? AND t >= ? AND t < ? ORDER BY t',
    );
    this.lastStmt = db
      .prepare('SELECT v FROM samples WHERE uid = ? AND t >= ? AND t < ? ORDER BY t DESC LIMIT 1')
      .pluck();
    this.lastTextStmt = db
      .prepare('SELECT v FROM samples_text WHERE uid = ? AND t >= ? AND t < ? ORDER BY t DESC LIMIT 1')
      .pluck();
  }

  insert(uid: number, t: number, v: number): void {
    this.ins.run(uid, t, v);
  }

  insertText(uid: number, t: number, v: string): void {
    this.insText.run(uid, t, v);
  }

  /** Samples of one signal in [fromMs, toMs), oldest first. Consume it fully before writing. */
  points(uid: number, fromMs: number, toMs: number): IterableIterator<RawPoint> {
    return this.pointsStmt.iterate(uid, fromMs, toMs) as IterableIterator<RawPoint>;
  }

  texts(uid: number, fromMs: number, toMs: number): IterableIterator<RawText> {
    return this.textsStmt.iterate(uid, fromMs, toMs) as IterableIterator<RawText>;
  }

  /** Signals with at least one sample in [fromMs, toMs). */
  uidsWithin(fromMs: number, toMs: number): number[] {
    return this.db
      .prepare(
        `SELECT DISTINCT uid FROM samples WHERE t >= ? AND t < ?
         UNION SELECT DISTINCT uid FROM samples_text WHERE t >= ? AND t < ?`,
      )
      .pluck()
      .all(fromMs, toMs, fromMs, toMs) as number[];
  }

  /** The newest sample time of all signals, or null when there is none. */
  newest(): number | null {
    return this.db
      .prepare(
        'SELECT max(t) FROM (SELECT max(t) AS t FROM samples UNION ALL SELECT max(t) FROM samples_text)',
      )
      .pluck()
      .get() as number | null;
  }

  /** The last value of one signal in [sinceMs, beforeMs). */
  lastIn(uid: number, text: boolean, sinceMs: number, beforeMs: number): number | string | undefined {
    return (text ? this.lastTextStmt : this.lastStmt).get(uid, sinceMs, beforeMs) as
      number | string | undefined;
  }

  /**
   * Buckets of width `gNs` (aligned to multiples of it since the epoch) over [fromMs, toMs), oldest
   * first. SQLite groups, so one row per bucket reaches JS.
   */
  buckets(
    uid: number,
    text: boolean,
    aggregation: RawAggregation,
    fromMs: number,
    toMs: number,
    gNs: bigint,
  ): RawBucket[] {
    const key = `${text ? 't' : 'n'}:${aggregation}`;
    let stmt = this.bucketStmts.get(key);
    if (!stmt) {
      stmt = this.db
        .prepare(
          `SELECT (t * 1000000) / $g AS b, ${BUCKET_SQL[aggregation]}
           FROM ${text ? 'samples_text' : 'samples'} WHERE uid = $uid AND t >= $from AND t < $to
           GROUP BY b ORDER BY b`,
        )
        .safeIntegers(true);
      this.bucketStmts.set(key, stmt);
    }
    const rows = stmt.all({ g: gNs, uid: BigInt(uid), from: BigInt(fromMs), to: BigInt(toMs) }) as {
      b: bigint;
      v: number | bigint | string;
    }[];
    return rows.map((r) => ({ b: r.b * gNs, v: typeof r.v === 'bigint' ? Number(r.v) : r.v }));
  }

  /** Deletes samples older than `beforeMs`, in slices so writers are never blocked for long. */
  trim(beforeMs: number): number {
    let total = 0;
    for (const table of ['samples', 'samples_text']) {
      const del = this.db.prepare(
        `DELETE FROM ${table} WHERE (uid, t) IN (SELECT uid, t FROM ${table} WHERE t < ? LIMIT 20000)`,
      );
      for (;;) {
        const n = del.run(beforeMs).changes;
        total += n;
        if (n < 20000) break;
      }
    }
    return total;
  }

  // ---- in time order from a cursor: what an integration that writes to a database (InfluxDB) sends
  // after an outage, so the database ends up with every sample the store kept.

  /** Up to `limit` numeric samples after `cursor` (ordered by time, then uid) with a time at or before `untilMs`. */
  after(cursor: RawCursor, untilMs: number, limit: number): (RawPoint & { uid: number })[] {
    this.afterStmt ??= this.db.prepare(
      `SELECT uid, t, v FROM samples WHERE (t > ? OR (t = ? AND uid > ?)) AND t <= ? ORDER BY t, uid LIMIT ?`,
    );
    return this.afterStmt.all(cursor.t, cursor.t, cursor.uid, untilMs, limit) as (RawPoint & {
      uid: number;
    })[];
  }

  /** How many numeric samples lie in (afterMs, untilMs]. */
  countAfter(afterMs: number, untilMs: number): number {
    this.countAfterStmt ??= this.db.prepare('SELECT count(*) FROM samples WHERE t > ? AND t <= ?').pluck();
    return this.countAfterStmt.get(afterMs, untilMs) as number;
  }

  private afterStmt: Statement<unknown[]> | undefined;
  private countAfterStmt: Statement<unknown[]> | undefined;
}
