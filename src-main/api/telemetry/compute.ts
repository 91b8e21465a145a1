import type { TelemetryQueries } from '../../store/telemetry-queries.js';
import { lookAroundMs, type Column, type Plan } from './plan.js';

export interface Table {
  /** Row timestamps (bucket starts, Unix s), ascending. */
  ts: number[];
  /** One map per column: bucket start → value. */
  values: Map<number, number>[];
}

/**
 * Runs one SQL bucket query per column and joins the columns on the bucket start. Without gap
 * filling a row exists where any column has a value; a `locf` column contributes every bucket of
 * the range, each empty one holding the last value before it (looking back `look_around` before
 * `from` for the first ones).
 */
export function computeTable(q: TelemetryQueries, plan: Plan): Table {
  const rowSet = new Set<number>();
  const values = plan.columns.map((c) => {
    const found = new Map(
      q
        .buckets({
          uid: c.signal.uid,
          fromMs: plan.fromMs,
          toMs: plan.toMs,
          bucketS: c.bucketS,
          aggregation: c.aggregation,
          kind: c.signal.kind,
        })
        .map((b) => [b.ts, b.v]),
    );
    if (c.gapFilling === 'locf') fillForward(q, plan, c, found, rowSet);
    for (const ts of found.keys()) rowSet.add(ts);
    return found;
  });
  return { ts: [...rowSet].sort((a, b) => a - b), values };
}

function fillForward(
  q: TelemetryQueries,
  plan: Plan,
  c: Column,
  found: Map<number, number>,
  rows: Set<number>,
): void {
  const g = c.bucketS * 1000;
  const look = lookAroundMs(c);
  let last = look > 0 ? q.lastBefore(c.signal.uid, plan.fromMs - look, plan.fromMs) : undefined;
  for (let b = Math.floor(plan.fromMs / g) * g; b < plan.toMs; b += g) {
    const ts = b / 1000;
    rows.add(ts);
    const v = found.get(ts);
    if (v !== undefined) last = v;
    else if (last !== undefined) found.set(ts, last);
  }
}
