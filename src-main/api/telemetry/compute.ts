import type { TelemetryQueries } from '../../store/telemetry-queries.js';
import { NS_PER_MS } from './duration.js';
import { lookAroundMs, type Column, type Plan } from './plan.js';

export type Cell = number | string | undefined;

/** One CSV row: its bucket start (Unix ns) and one cell per column. */
export interface Row {
  b: bigint;
  cells: Cell[];
}

/**
 * Buckets of one column fetched per slice of this many buckets: memory stays flat for any range. A
 * slice is computed in one synchronous step, and what it makes on the way (decoded blocks, samples,
 * buckets) is what survives young-generation collections and piles up in the old generation until
 * the next full one: a 7-day 1-s request peaked at 96 MiB above idle with 20,000, 56–89 MiB with
 * 5,000, 39–43 MiB with 1,000 (goal 64; bench/streaming.bench.ts), at about the same time per row.
 */
export const SLICE_BUCKETS = 1_000;

const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;

/**
 * One column's buckets in time order, a slice at a time (one SQL query per slice, nothing held open
 * between slices, so writers are never blocked by a long answer). A `locf` column yields every bucket
 * of the range, an empty one holding the last value before it (looking back `look_around` before
 * `from` for the first ones).
 */
export function* columnBuckets(q: TelemetryQueries, plan: Plan, c: Column): Generator<[bigint, Cell]> {
  const g = c.granularityNs;
  const fromNs = BigInt(plan.fromMs) * NS_PER_MS;
  const toNs = BigInt(plan.toMs) * NS_PER_MS;
  const locf = c.gapFilling === 'locf';
  const text = c.signal.type === 'string';
  const look = lookAroundMs(c);
  let last: Cell =
    locf && look > 0 ? q.lastBefore(c.signal.uid, text, plan.fromMs - look, plan.fromMs) : undefined;
  for (let s = (fromNs / g) * g; s < toNs; s += g * BigInt(SLICE_BUCKETS)) {
    const e = s + g * BigInt(SLICE_BUCKETS);
    // Samples are whole ms: the ones in [s, e) ns are those at or after ceil(s) ms and before ceil(e) ms.
    const fromMs = Math.max(plan.fromMs, Number(ceilDiv(s, NS_PER_MS)));
    const toMs = Math.min(plan.toMs, Number(ceilDiv(e, NS_PER_MS)));
    const found = q.buckets({
      uid: c.signal.uid,
      fromMs,
      toMs,
      gNs: g,
      aggregation: c.aggregation,
      text,
    });
    // A slice is read out over several turns of the socket: kept as two flat arrays (bucket index
    // within the slice, value), not thousands of objects holding BigInts, so it is not promoted to
    // the old generation (where a 7-day answer piled up tens of MiB before the next full collection).
    const at = new Float64Array(found.length);
    const vals: Cell[] = new Array<Cell>(found.length);
    for (let j = 0; j < found.length; j++) {
      at[j] = Number((found[j]!.b - s) / g);
      vals[j] = found[j]!.v;
    }
    if (!locf) {
      for (let j = 0; j < at.length; j++) yield [s + BigInt(at[j]!) * g, vals[j]];
      continue;
    }
    let i = 0;
    for (let k = 0, b = s; b < e && b < toNs; k++, b += g) {
      if (i < at.length && at[i] === k) last = vals[i++];
      yield [b, last];
    }
  }
}

/**
 * The rows of the answer in time order: the columns' buckets joined on their start. Without gap
 * filling a row exists where any column has a value.
 */
export function* rows(q: TelemetryQueries, plan: Plan): Generator<Row> {
  const its = plan.columns.map((c) => columnBuckets(q, plan, c));
  const heads = its.map((it) => it.next());
  for (;;) {
    let min: bigint | undefined;
    for (const h of heads) if (!h.done && (min === undefined || h.value[0] < min)) min = h.value[0];
    if (min === undefined) return;
    const cells: Cell[] = heads.map((h, i) => {
      if (h.done || h.value[0] !== min) return undefined;
      heads[i] = its[i]!.next();
      return h.value[1];
    });
    yield { b: min, cells };
  }
}
