import type { Statement } from 'better-sqlite3';
import type { Db } from './db.js';
import { mergeSamples, SampleBlocks } from './sample-blocks.js';

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
 * buckets, gap filling) asks for samples through these calls. Samples are written as rows (the open
 * block, flushed once a second) and moved into compressed blocks by `closeBlocks`; reads join both.
 */
export class RawSamples {
  private readonly ins;
  private readonly insText;
  private readonly pointsStmt;
  private readonly textsStmt;
  private readonly lastStmt;
  private readonly lastTextStmt;
  private readonly bucketStmts = new Map<string, ReturnType<Db['prepare']>>();
  readonly blocks: SampleBlocks;

  constructor(private readonly db: Db) {
    this.blocks = new SampleBlocks(db);
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
    this.blocks.noteOpen(uid, false, t);
  }

  insertText(uid: number, t: number, v: string): void {
    this.insText.run(uid, t, v);
    this.blocks.noteOpen(uid, true, t);
  }

  /** Moves due open rows (and a slice of what was there at start) into blocks; a few ms per call. */
  closeBlocks(now = Date.now(), maxBlocks?: number): number {
    return this.blocks.closeDue(now, maxBlocks);
  }

  /** Samples of one signal in [fromMs, toMs), oldest first. Consume it fully before writing. */
  points(uid: number, fromMs: number, toMs: number): IterableIterator<RawPoint> {
    const segments = this.blocks.read(uid, false, fromMs, toMs);
    if (!segments.length) return this.pointsStmt.iterate(uid, fromMs, toMs) as IterableIterator<RawPoint>;
    const rows = this.pointsStmt.all(uid, fromMs, toMs) as RawPoint[];
    return mergeSamples(segments, rows).values() as IterableIterator<RawPoint>;
  }

  texts(uid: number, fromMs: number, toMs: number): IterableIterator<RawText> {
    const segments = this.blocks.read(uid, true, fromMs, toMs);
    if (!segments.length) return this.textsStmt.iterate(uid, fromMs, toMs) as IterableIterator<RawText>;
    const rows = this.textsStmt.all(uid, fromMs, toMs) as RawText[];
    return mergeSamples(segments, rows).values() as IterableIterator<RawText>;
  }

  /** Signals with at least one sample in [fromMs, toMs). */
  uidsWithin(fromMs: number, toMs: number): number[] {
    const rows = this.db
      .prepare(
        `SELECT DISTINCT uid FROM samples WHERE t >= ? AND t < ?
         UNION SELECT DISTINCT uid FROM samples_text WHERE t >= ? AND t < ?`,
      )
      .pluck()
      .all(fromMs, toMs, fromMs, toMs) as number[];
    // A block's [t0, t1] overlapping the range may still hold no sample inside it: keep only real ones.
    const inBlocks = this.blocks
      .uidsWithin(fromMs, toMs)
      .filter(
        (uid) => this.blocks.last(uid, false, fromMs, toMs) ?? this.blocks.last(uid, true, fromMs, toMs),
      );
    return [...new Set([...rows, ...inBlocks])].sort((a, b) => a - b);
  }

  /** The newest sample time of all signals, or null when there is none. */
  newest(): number | null {
    const rows = this.db
      .prepare(
        'SELECT max(t) FROM (SELECT max(t) AS t FROM samples UNION ALL SELECT max(t) FROM samples_text)',
      )
      .pluck()
      .get() as number | null;
    const blocks = this.blocks.newest();
    return rows === null ? blocks : blocks === null ? rows : Math.max(rows, blocks);
  }

  /** The last value of one signal in [sinceMs, beforeMs). */
  lastIn(uid: number, text: boolean, sinceMs: number, beforeMs: number): number | string | undefined {
    const row = (text ? this.lastTextStmt : this.lastStmt).get(uid, sinceMs, beforeMs) as
      number | string | undefined;
    // Open rows are newer than closed blocks, except for a late or imported sample: compare times then.
    const inBlock = this.blocks.last(uid, text, sinceMs, beforeMs);
    if (row === undefined || !inBlock) return row ?? inBlock?.v;
    const rowT = this.db
      .prepare(`SELECT max(t) FROM ${text ? 'samples_text' : 'samples'} WHERE uid = ? AND t >= ? AND t < ?`)
      .pluck()
      .get(uid, sinceMs, beforeMs) as number;
    return inBlock.t > rowT ? inBlock.v : row;
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
    if (this.blocks.hasAny(uid, text, fromMs, toMs)) {
      const samples = text ? this.texts(uid, fromMs, toMs) : this.points(uid, fromMs, toMs);
      return bucketize(samples, aggregation, gNs);
    }
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

  /**
   * Deletes samples older than `beforeMs`, in slices so writers are never blocked for long. Blocks go
   * whole: one that reaches past `beforeMs` stays until all of it is older.
   */
  trim(beforeMs: number): number {
    let total = this.blocks.trim(beforeMs).samples;
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
    const rows = this.afterStmt.all(cursor.t, cursor.t, cursor.uid, untilMs, limit) as (RawPoint & {
      uid: number;
    })[];
    // Past the last row of a full page nothing can be in it: blocks are read only up to there.
    const until = rows.length === limit ? Math.min(untilMs, rows.at(-1)!.t) : untilMs;
    const inBlocks = this.blocks.after(cursor, until, limit);
    if (!inBlocks.length) return rows;
    // A row at the same (uid, t) as a block's sample is a later write and wins, as in `points`.
    const seen = new Set(rows.map((r) => `${r.uid}:${r.t}`));
    return [...inBlocks.filter((b) => !seen.has(`${b.uid}:${b.t}`)), ...rows]
      .sort((a, b) => a.t - b.t || a.uid - b.uid)
      .slice(0, limit);
  }

  /** How many numeric samples lie in (afterMs, untilMs] (a late row at a block's time counts twice). */
  countAfter(afterMs: number, untilMs: number): number {
    this.countAfterStmt ??= this.db.prepare('SELECT count(*) FROM samples WHERE t > ? AND t <= ?').pluck();
    return (this.countAfterStmt.get(afterMs, untilMs) as number) + this.blocks.countAfter(afterMs, untilMs);
  }

  private afterStmt: Statement<unknown[]> | undefined;
  private countAfterStmt: Statement<unknown[]> | undefined;
}

/** The SQL bucket query's answer computed over samples in time order (for ranges that reach blocks). */
function bucketize(
  samples: Iterable<{ t: number; v: number | string }>,
  aggregation: RawAggregation,
  gNs: bigint,
): RawBucket[] {
  const out: RawBucket[] = [];
  // Bucket arithmetic in plain numbers while widths are whole milliseconds (every real query): a
  // BigInt per sample made this loop the slowest part of a day's telemetry. Sub-ms widths keep BigInt.
  const gMs = gNs % 1_000_000n === 0n ? Number(gNs / 1_000_000n) : 0;
  const bucketOf = (t: number): bigint | number => {
    if (!gMs || t < 0) return (BigInt(t) * 1_000_000n) / gNs;
    let k = Math.floor(t / gMs);
    if (k * gMs > t) k--;
    else if ((k + 1) * gMs <= t) k++;
    return k;
  };
  let b: bigint | number | undefined;
  // The current bucket's span in ms [lo, hi): most samples fall into it and need no division at all.
  let lo = Infinity;
  let hi = -Infinity;
  let acc: number | string = 0;
  let n = 0;
  // avg sums like SQLite does (Kahan-Babuska-Neumaier), so a bucket's mean is the same to the bit
  // whether its samples are rows or in a block.
  let sum = 0;
  let err = 0;
  const close = (): void => {
    if (b === undefined) return;
    out.push({
      b: BigInt(b) * gNs,
      v: aggregation === 'avg' && typeof acc === 'number' ? (sum + err) / n : acc,
    });
  };
  for (const s of samples) {
    const same = s.t >= lo && s.t < hi;
    const k = same ? b! : bucketOf(s.t);
    if (!same && k !== b) {
      close();
      b = k;
      if (typeof k === 'number') {
        lo = k * gMs;
        hi = lo + gMs;
      } else {
        lo = Infinity;
        hi = -Infinity;
      }
      acc = s.v;
      n = 0;
      sum = 0;
      err = 0;
    } else if (aggregation === 'last') acc = s.v;
    else if (aggregation === 'min' ? s.v < acc : aggregation === 'max' && s.v > acc) acc = s.v;
    n++;
    if (aggregation === 'avg' && typeof s.v === 'number') {
      const t = sum + s.v;
      err += Math.abs(sum) > Math.abs(s.v) ? sum - t + s.v : s.v - t + sum;
      sum = t;
    }
  }
  close();
  return out;
}
