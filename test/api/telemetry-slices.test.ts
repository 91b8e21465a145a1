import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLICE_BUCKETS } from '../../src-main/api/telemetry/compute.js';
import { T0 } from './fixture.js';
import { helpers, S, timeseriesFixture, type TimeseriesCtx } from './timeseries-helpers.js';

// A long answer is computed a slice of buckets at a time: rows must join across slice edges as if it
// were one query, with locf carrying a value over a slice that has no sample at all.
const SPAN = SLICE_BUCKETS * 3 + 500; // seconds, at 1 s buckets: four slices
const START = S + 86_400; // a day after the fixture's known samples

/** Sample seconds: dense, then sparse, then none for more than a slice, then samples on slice edges. */
function sampleSeconds(): number[] {
  const out: number[] = [];
  for (let s = 0; s < SLICE_BUCKETS + 10; s += 1) if (s % 7 !== 3) out.push(s);
  for (let s = SLICE_BUCKETS + 10; s < SLICE_BUCKETS * 1.5; s += 37) out.push(s);
  out.push(SLICE_BUCKETS * 3 - 1, SLICE_BUCKETS * 3, SLICE_BUCKETS * 3 + 1, SPAN - 1);
  return out;
}
const valueAt = (s: number): number => 200 + (s % 113) / 4;

let ctx: TimeseriesCtx;
beforeAll(async () => {
  ctx = await timeseriesFixture();
  const uid = ctx.f.uid.current;
  const seconds = sampleSeconds();
  const half = Math.floor(seconds.length / 2);
  const write = (list: number[]): unknown =>
    ctx.f.engine.store.samples.importSamples(
      list.map((s) => ({ uid, t: (START + s) * 1000, v: valueAt(s) })),
    );
  // The first half goes into closed blocks, the rest stays in rows: a slice reads both.
  write(seconds.slice(0, half));
  if (!ctx.f.engine.store.raw.closeBlocks(T0 + 400 * 86_400_000)) throw new Error('no block was closed');
  write(seconds.slice(half));
});
afterAll(() => ctx.f.close());
const { post, items, col, csv } = helpers(() => ctx);

describe('timeseries answers longer than one slice of buckets', () => {
  it.each(['none', 'locf'])(
    'gap filling %s: every row as one pass over the samples would give',
    async (gap) => {
      const r = await post({
        from: START,
        to: START + SPAN,
        aggregation: 'last',
        granularity: '1s',
        ...(gap === 'locf' ? { gap_filling: { method: 'locf' } } : {}),
        telemetry: items({ attribute: 'current' }),
      });
      expect(r.statusCode, r.body).toBe(200);
      const present = new Set(sampleSeconds());
      const expected: (string | number)[][] = [];
      let last: number | undefined;
      for (let s = 0; s < SPAN; s++) {
        if (present.has(s)) last = valueAt(s);
        if (present.has(s)) expected.push([START + s, valueAt(s)]);
        else if (gap === 'locf') expected.push([START + s, last ?? '']);
      }
      expect(r.body).toBe(csv([col('current', 'last', '1s', gap)], expected));
    },
  );
});
