import type { Db } from './db.js';
import type { RawPoint, RawSamples, RawText } from './raw-samples.js';

export const PERIOD_S = 60;
const PERIOD_MS = PERIOD_S * 1000;
export const HOUR_S = 3600;
export const DAY_S = 86_400;

/** End of the 60-s period a sample at `tMs` belongs to, in Unix seconds: periods are [p-60, p). */
export function periodEnd(tMs: number): number {
  return (Math.floor(tMs / PERIOD_MS) + 1) * PERIOD_S;
}

/**
 * What a roll-up keeps of a stretch of samples. It combines (a minute's aggregate and the next
 * minute's give the two minutes'), so hours come from minutes and days from hours, and every
 * aggregation answers the same from raw samples and from any roll-up level.
 */
export interface Agg {
  n: number;
  /** Sum of the values: the mean of any combination is exact. */
  sm: number;
  min: number;
  max: number;
  /** The last value and its time (ms). */
  lv: number;
  lt: number;
  /** The first value (a counter's increase over its first period). */
  fv: number;
}

function start(t: number, v: number): Agg {
  return { n: 1, sm: v, min: v, max: v, lv: v, lt: t, fv: v };
}

function add(a: Agg, t: number, v: number): void {
  a.n++;
  a.sm += v;
  if (v < a.min) a.min = v;
  if (v > a.max) a.max = v;
  if (t >= a.lt) {
    a.lv = v;
    a.lt = t;
  }
}

/** Folds time-ordered samples into consecutive periods of `periodMs`; `key` is each period's start (ms). */
export function foldPeriods(points: Iterable<RawPoint>, periodMs: number): Map<number, Agg> {
  const out = new Map<number, Agg>();
  let key = NaN;
  let cur: Agg | undefined;
  for (const { t, v } of points) {
    const k = Math.floor(t / periodMs) * periodMs;
    if (cur && k === key) add(cur, t, v);
    else {
      key = k;
      cur = out.get(k);
      if (cur) add(cur, t, v);
      else out.set(k, (cur = start(t, v)));
    }
  }
  return out;
}

/** The last text of each period of `periodMs` (key: period start, ms). */
export function foldTexts(texts: Iterable<RawText>, periodMs: number): Map<number, RawText> {
  const out = new Map<number, RawText>();
  for (const x of texts) {
    const k = Math.floor(x.t / periodMs) * periodMs;
    const prev = out.get(k);
    if (!prev || x.t >= prev.t) out.set(k, { t: x.t, v: x.v });
  }
  return out;
}

interface SignalKind {
  kind: string;
  type: string;
}

/**
 * Recomputes the roll-ups of every 60-s period overlapping [fromMs, toMs) from the raw samples, then
 * the 1-h and 1-d roll-ups those periods fall in. The samples are folded in JS from the raw-sample
 * reader. Gauges: v = mean. Counters: v = last value, d = increase since the previous period's last
 * value (or since the first sample of the period when there is no earlier period).
 */
export function rollupRange(
  db: Db,
  raw: RawSamples,
  fromMs: number,
  toMs: number,
  uids?: readonly number[],
): number {
  const startMs = Math.floor(fromMs / PERIOD_MS) * PERIOD_MS;
  const endMs = Math.ceil(toMs / PERIOD_MS) * PERIOD_MS;
  if (endMs <= startMs) return 0;
  const kinds = new Map<number, SignalKind>(
    (db.prepare('SELECT uid, kind, type FROM signals').all() as (SignalKind & { uid: number })[]).map((r) => [
      r.uid,
      r,
    ]),
  );
  const w = writersOf(db);
  let periods = 0;
  db.transaction(() => {
    for (const uid of uids ?? raw.uidsWithin(startMs, endMs)) {
      const sig = kinds.get(uid);
      if (sig?.type === 'string') {
        for (const [k, x] of foldTexts(raw.texts(uid, startMs, endMs), PERIOD_MS)) {
          w.text.run(uid, k / 1000 + PERIOD_S, x.t, x.v);
          periods++;
        }
        continue;
      }
      const folded = foldPeriods(raw.points(uid, startMs, endMs), PERIOD_MS);
      if (!folded.size) continue;
      const counter = sig?.kind === 'counter';
      let before = counter ? (w.prevLast.get(uid, startMs / 1000 + PERIOD_S) as number | undefined) : 0;
      for (const [k, a] of folded) {
        const p = k / 1000 + PERIOD_S;
        const v = counter ? a.lv : a.sm / a.n;
        const d = counter ? a.lv - (before ?? a.fv) : 0;
        w.minute.run(uid, p, Math.floor(a.lt / 1000), v, d, a.max, a.min, a.n, a.sm, a.lv, a.lt);
        before = a.lv;
        periods++;
      }
      refreshCoarse(w, uid, startMs / 1000, endMs / 1000);
    }
  }).immediate();
  return periods;
}

type Writers = ReturnType<typeof writers>;
const prepared = new WeakMap<Db, Writers>();

/** Statements are prepared once per connection: a roll-up runs every minute. */
function writersOf(db: Db): Writers {
  let w = prepared.get(db);
  if (!w) prepared.set(db, (w = writers(db)));
  return w;
}

function writers(db: Db) {
  const coarse = (table: string) =>
    db.prepare(
      `INSERT INTO ${table} (uid, b, n, sm, min, max, lv, lt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (uid, b) DO UPDATE SET n = excluded.n, sm = excluded.sm, min = excluded.min,
         max = excluded.max, lv = excluded.lv, lt = excluded.lt`,
    );
  return {
    prevLast: db.prepare('SELECT lv FROM history WHERE uid = ? AND p < ? ORDER BY p DESC LIMIT 1').pluck(),
    minute: db.prepare(
      `INSERT INTO history (uid, p, t, v, d, max, min, n, sm, lv, lt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (uid, p) DO UPDATE SET t = excluded.t, v = excluded.v, d = excluded.d,
         max = excluded.max, min = excluded.min, n = excluded.n, sm = excluded.sm, lv = excluded.lv,
         lt = excluded.lt`,
    ),
    text: db.prepare(
      `INSERT INTO history_text (uid, p, lt, lv) VALUES (?, ?, ?, ?)
       ON CONFLICT (uid, p) DO UPDATE SET lt = excluded.lt, lv = excluded.lv`,
    ),
    minutesOf: db.prepare(
      'SELECT p - 60 AS b, n, sm, min, max, lv, lt FROM history WHERE uid = ? AND p > ? AND p <= ? ORDER BY p',
    ),
    hoursOf: db.prepare(
      'SELECT b, n, sm, min, max, lv, lt FROM history_1h WHERE uid = ? AND b >= ? AND b < ? ORDER BY b',
    ),
    hour: coarse('history_1h'),
    day: coarse('history_1d'),
  };
}

interface AggRow extends Omit<Agg, 'fv'> {
  b: number;
}

/** Combines rows (b in s) into buckets of `widthS`. */
function combine(rows: Iterable<AggRow>, widthS: number): Map<number, Agg> {
  const out = new Map<number, Agg>();
  for (const r of rows) {
    const k = Math.floor(r.b / widthS) * widthS;
    const a = out.get(k);
    if (!a) {
      out.set(k, { n: r.n, sm: r.sm, min: r.min, max: r.max, lv: r.lv, lt: r.lt, fv: r.lv });
      continue;
    }
    a.n += r.n;
    a.sm += r.sm;
    if (r.min < a.min) a.min = r.min;
    if (r.max > a.max) a.max = r.max;
    if (r.lt >= a.lt) {
      a.lv = r.lv;
      a.lt = r.lt;
    }
  }
  return out;
}

/** Rebuilds the 1-h rows over the hours touching [fromS, toS) and the 1-d rows over their days. */
function refreshCoarse(w: Writers, uid: number, fromS: number, toS: number): void {
  const h0 = Math.floor(fromS / HOUR_S) * HOUR_S;
  const h1 = Math.ceil(toS / HOUR_S) * HOUR_S;
  const hours = combine(w.minutesOf.iterate(uid, h0, h1) as Iterable<AggRow>, HOUR_S);
  for (const [b, a] of hours) w.hour.run(uid, b, a.n, a.sm, a.min, a.max, a.lv, a.lt);
  const d0 = Math.floor(h0 / DAY_S) * DAY_S;
  const d1 = Math.ceil(h1 / DAY_S) * DAY_S;
  const days = combine(w.hoursOf.iterate(uid, d0, d1) as Iterable<AggRow>, DAY_S);
  for (const [b, a] of days) w.day.run(uid, b, a.n, a.sm, a.min, a.max, a.lv, a.lt);
}
