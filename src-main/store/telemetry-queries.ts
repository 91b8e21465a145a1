import type { Db } from './db.js';
import type { RawSamples } from './raw-samples.js';
import { DAY_S, HOUR_S, PERIOD_S } from './rollup.js';

export type BucketAggregation = 'avg' | 'last' | 'min' | 'max';

export interface BucketQuery {
  uid: number;
  /** Samples at or after this instant (ms) … */
  fromMs: number;
  /** … and before this one (ms). */
  toMs: number;
  /** Bucket width in nanoseconds; buckets start at multiples of it since the epoch. */
  gNs: bigint;
  aggregation: BucketAggregation;
  /** A text signal: only `last` is defined. */
  text: boolean;
}

/** One aggregated bucket: `b` its start (Unix ns). */
export interface Bucket {
  b: bigint;
  v: number | string;
}

export interface LatestValue {
  uid: number;
  v: number | null;
  sv: string | null;
  t: number;
}

const NS_PER_S = 1_000_000_000n;
const MINUTE_NS = BigInt(PERIOD_S) * NS_PER_S;

/** Buckets of whole minutes are computed from the roll-ups, finer ones from raw samples. */
export function usesRollups(gNs: bigint): boolean {
  return gNs >= MINUTE_NS && gNs % MINUTE_NS === 0n;
}

/** A bucket's partial aggregate: avg = a / w (sum, count); last = a at the greatest w (time). */
interface Part {
  b: number;
  a: number | string;
  w: number;
}

const ROLLUP_AGG: Record<BucketAggregation, string> = {
  avg: 'sum(sm) AS a, sum(n) AS w',
  min: 'min("min") AS a, 0 AS w',
  max: 'max("max") AS a, 0 AS w',
  // A bare column beside exactly one max() comes from the row holding it: the newest last value.
  last: 'lv AS a, max(lt) AS w',
};

/** Each roll-up level: its table, its width and how its rows' start (s) is written. */
const LEVELS = [
  { width: DAY_S, table: 'history_1d', start: 'b', lo: 'b >= $lo', hi: 'b < $hi' },
  { width: HOUR_S, table: 'history_1h', start: 'b', lo: 'b >= $lo', hi: 'b < $hi' },
  { width: PERIOD_S, table: 'history', start: '(p - 60)', lo: 'p >= $lo + 60', hi: 'p < $hi + 60' },
] as const;
type Level = (typeof LEVELS)[number];

function merge(acc: Map<number, Part>, rows: readonly Part[], agg: BucketAggregation): void {
  for (const r of rows) {
    const cur = acc.get(r.b);
    if (!cur || r.a === null) {
      if (r.a !== null) acc.set(r.b, { ...r });
      continue;
    }
    if (agg === 'avg') {
      (cur.a as number) += r.a as number;
      cur.w += r.w;
    } else if (agg === 'min') cur.a = Math.min(cur.a as number, r.a as number);
    else if (agg === 'max') cur.a = Math.max(cur.a as number, r.a as number);
    else if (r.w >= cur.w) {
      cur.a = r.a;
      cur.w = r.w;
    }
  }
}

/**
 * The Telemetry API's time-bucket queries. SQLite groups rows, one row per bucket and level reaches
 * JS. Whole-minute widths read the coarsest roll-up that divides them (1 d, 1 h, 60 s) for the
 * stretch it covers fully and finer levels at the edges, so each answer is the same as from the
 * 60-s roll-ups alone.
 */
export class TelemetryQueries {
  private readonly stmts = new Map<string, ReturnType<Db['prepare']>>();

  constructor(
    private readonly db: Db,
    readonly raw: RawSamples,
  ) {}

  private stmt(key: string, sql: () => string): ReturnType<Db['prepare']> {
    let s = this.stmts.get(key);
    if (!s) this.stmts.set(key, (s = this.db.prepare(sql())));
    return s;
  }

  buckets(q: BucketQuery): Bucket[] {
    if (!usesRollups(q.gNs))
      return this.raw.buckets(q.uid, q.text, q.aggregation, Math.max(0, q.fromMs), q.toMs, q.gNs);
    const g = Number(q.gNs / NS_PER_S);
    // Roll-ups hold whole minutes: a minute counts when it overlaps [from, to).
    const lo = Math.floor(Math.max(0, q.fromMs) / 60_000) * PERIOD_S;
    const hi = Math.ceil(q.toMs / 60_000) * PERIOD_S;
    const acc = new Map<number, Part>();
    if (q.text) merge(acc, this.textRollups(q.uid, g, lo, hi), 'last');
    else {
      const levels = LEVELS.filter((l) => g % l.width === 0);
      this.collect(levels, 0, q, g, lo, hi, acc);
    }
    return [...acc.values()]
      .sort((x, y) => x.b - y.b)
      .map((p) => ({
        b: BigInt(p.b) * NS_PER_S,
        v: q.aggregation === 'avg' ? (p.a as number) / p.w : p.a,
      }));
  }

  private collect(
    levels: readonly Level[],
    i: number,
    q: BucketQuery,
    g: number,
    lo: number,
    hi: number,
    acc: Map<number, Part>,
  ): void {
    const level = levels[i];
    if (!level || hi <= lo) return;
    const inner =
      level.width === PERIOD_S
        ? [lo, hi]
        : [Math.ceil(lo / level.width) * level.width, Math.floor(hi / level.width) * level.width];
    const [cLo = lo, cHi = hi] = inner;
    if (cLo >= cHi) return this.collect(levels, i + 1, q, g, lo, hi, acc);
    this.collect(levels, i + 1, q, g, lo, cLo, acc);
    const sql = this.stmt(
      `${level.table}:${q.aggregation}`,
      () =>
        `SELECT (${level.start} / $g) * $g AS b, ${ROLLUP_AGG[q.aggregation]}
       FROM ${level.table} WHERE uid = $uid AND ${level.lo} AND ${level.hi} GROUP BY b`,
    );
    merge(acc, sql.all({ g: BigInt(g), uid: q.uid, lo: cLo, hi: cHi }) as Part[], q.aggregation);
    this.collect(levels, i + 1, q, g, cHi, hi, acc);
  }

  private textRollups(uid: number, g: number, lo: number, hi: number): Part[] {
    return this.stmt(
      'text',
      () =>
        `SELECT ((p - 60) / $g) * $g AS b, lv AS a, max(lt) AS w FROM history_text
         WHERE uid = $uid AND p >= $lo + 60 AND p < $hi + 60 GROUP BY b`,
    ).all({ g: BigInt(g), uid, lo, hi }) as Part[];
  }

  /**
   * The last value of a signal in [sinceMs, beforeMs): the raw sample when one is still kept, else
   * the last value of the last roll-up ending in that window (raw samples are trimmed after the
   * retention time).
   */
  lastBefore(uid: number, text: boolean, sinceMs: number, beforeMs: number): number | string | undefined {
    if (beforeMs <= sinceMs) return undefined;
    const raw = this.raw.lastIn(uid, text, sinceMs, beforeMs);
    if (raw !== undefined) return raw;
    return this.stmt(
      `lastBefore:${text}`,
      () =>
        `SELECT lv FROM ${text ? 'history_text' : 'history'}
         WHERE uid = ? AND lt >= ? AND lt < ? AND p * 1000 <= ? ORDER BY p DESC LIMIT 1`,
    )
      .pluck()
      .get(uid, sinceMs, beforeMs, beforeMs) as number | string | undefined;
  }

  /** The realtime row of each uid that has one. */
  latest(uids: readonly number[]): Map<number, LatestValue> {
    if (!uids.length) return new Map();
    const rows = this.stmt(
      'latest',
      () => 'SELECT uid, v, sv, t FROM realtime WHERE uid IN (SELECT value FROM json_each(?))',
    ).all(JSON.stringify(uids)) as LatestValue[];
    return new Map(rows.map((r) => [r.uid, r]));
  }
}
