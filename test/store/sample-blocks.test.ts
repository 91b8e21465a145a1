import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RawAggregation } from '../../src-main/store/raw-samples.js';
import { BLOCK_SAMPLES, CLOSE_AFTER_MS } from '../../src-main/store/sample-blocks.js';
import { Store } from '../../src-main/store/store.js';

const stores: Store[] = [];
function newStore(): Store {
  const s = new Store({ file: join(mkdtempSync(join(tmpdir(), 'ems-blocks-')), 'ems.db') });
  stores.push(s);
  return s;
}
afterEach(() => {
  for (const s of stores.splice(0)) if (s.db.open) s.close();
});

const T0 = Date.UTC(2026, 0, 5, 10);
const GAUGE = 101;
const TEXT = 102;
const SLOW = 103;

/** 1 s samples: a noisy gauge (1,500), a text state (700) and a flag every 10 s (200, as 0/1). */
function fill(store: Store): void {
  const { raw } = store;
  store.db.transaction(() => {
    for (let i = 0; i < 1500; i++)
      raw.insert(GAUGE, T0 + i * 1000 + (i % 7), Math.round(2300 + ((i * 37) % 29)) / 10);
    for (let i = 0; i < 700; i++) raw.insertText(TEXT, T0 + i * 1000, i < 400 ? 'running' : 'stopped');
    for (let i = 0; i < 200; i++) raw.insert(SLOW, T0 + i * 10_000, i % 50 < 25 ? 1 : 0);
  })();
}

function blockCount(store: Store): number {
  return store.db.prepare('SELECT count(*) FROM sample_blocks').pluck().get() as number;
}

function openRows(store: Store): number {
  return store.db
    .prepare('SELECT (SELECT count(*) FROM samples) + (SELECT count(*) FROM samples_text)')
    .pluck()
    .get() as number;
}

/** Everything the store answers about raw samples, to compare before and after closing blocks. */
function answers(store: Store) {
  const { raw } = store;
  const ranges: [number, number][] = [
    [0, T0 + 86_400_000],
    [T0 + 123_456, T0 + 654_321],
    [T0 + 599_000, T0 + 601_500],
    [T0 + 1_000_000, T0 + 1_000_001],
  ];
  const aggs: RawAggregation[] = ['avg', 'min', 'max', 'last'];
  return ranges.map(([a, b]) => ({
    points: [GAUGE, SLOW].map((u) => [...raw.points(u, a, b)]),
    texts: [...raw.texts(TEXT, a, b)],
    buckets: aggs.map((g) => [
      raw.buckets(GAUGE, false, g, a, b, 60_000_000_000n),
      raw.buckets(SLOW, false, g, a, b, 7_000_000_000n),
      // Widths of whole milliseconds (1.5 s) and below one (0.25 ms) take different arithmetic.
      raw.buckets(GAUGE, false, g, a, b, 1_500_000_000n),
      raw.buckets(GAUGE, false, g, a, b, 250_000n),
    ]),
    textBuckets: raw.buckets(TEXT, true, 'last', a, b, 60_000_000_000n),
    last: [raw.lastIn(GAUGE, false, a, b), raw.lastIn(TEXT, true, a, b), raw.lastIn(SLOW, false, a, b)],
    uids: raw.uidsWithin(a, b),
    count: raw.countAfter(a, b),
    // A writer to another database pages through every numeric sample in (time, uid) order.
    pages: pageAfter(store, a, b, 97),
  }));
}

function pageAfter(store: Store, fromMs: number, untilMs: number, limit: number) {
  const out: { uid: number; t: number; v: number }[] = [];
  let cursor = { t: fromMs, uid: -1 };
  for (;;) {
    const page = store.raw.after(cursor, untilMs, limit);
    out.push(...page);
    const last = page.at(-1);
    if (page.length < limit || !last) return out;
    cursor = { t: last.t, uid: last.uid };
  }
}

describe('raw samples in blocks', () => {
  it('closing blocks changes no answer: points, texts, buckets of every aggregation, last values, uids', () => {
    const store = newStore();
    fill(store);
    const before = answers(store);
    const newest = store.raw.newest();
    // Far enough on that every signal's oldest open sample is due.
    // Step by step, as flushes do.
    store.raw.blocks.closeAll(T0 + 3_600_000);
    expect(blockCount(store)).toBe(3 + 2 + 1); // 1,500 → 600+600+300; 700 → 600+100; 200 → 200
    expect(openRows(store)).toBe(0);
    const after = answers(store);
    for (const [i, a] of after.entries())
      for (const k of Object.keys(a) as (keyof typeof a)[])
        expect(a[k], `range ${i} ${k}`).toEqual(before[i]![k]);
    expect(store.raw.newest()).toBe(newest);
  });

  it('a block closes at 600 samples, or when its oldest sample is 10 min old; newer rows stay open', () => {
    const store = newStore();
    fill(store);
    const now = T0 + 1500 * 1000;
    store.raw.blocks.closeAll(now);
    // Gauge: 2 full blocks, 300 open (oldest 5 min old); text: 1 full block, then 100 rows from 10:10.
    const rows = store.db.prepare('SELECT uid, text, n FROM sample_blocks ORDER BY uid, t0').all();
    expect(rows).toEqual([
      { uid: GAUGE, text: 0, n: BLOCK_SAMPLES },
      { uid: GAUGE, text: 0, n: BLOCK_SAMPLES },
      { uid: TEXT, text: 1, n: BLOCK_SAMPLES },
      { uid: TEXT, text: 1, n: 100 },
      { uid: SLOW, text: 0, n: 200 },
    ]);
    expect(openRows(store)).toBe(300);
    expect(now - (T0 + 1200 * 1000)).toBeLessThan(CLOSE_AFTER_MS);
  });

  it('paging after a cursor decodes the blocks of one page, not the whole backlog', () => {
    const store = newStore();
    fill(store);
    store.raw.blocks.closeAll(T0 + 3_600_000);
    const before = store.raw.blocks.stats.decoded;
    const page = store.raw.after({ t: 0, uid: -1 }, T0 + 86_400_000, 50);
    expect(page.map((p) => p.t)).toEqual(page.map((p) => p.t).sort((a, b) => a - b));
    expect(page[0]).toEqual({ uid: GAUGE, t: T0, v: 230 });
    expect(page[1]).toEqual({ uid: SLOW, t: T0, v: 1 });
    // The gauge's and the flag's first blocks; the later gauge blocks start after the 50th sample.
    expect(store.raw.blocks.stats.decoded - before).toBe(2);
  });

  it('a query touching part of the data decodes only the blocks it needs', () => {
    const store = newStore();
    fill(store);
    store.raw.blocks.closeAll(T0 + 3_600_000);
    const before = store.raw.blocks.stats.decoded;
    const pts = [...store.raw.points(GAUGE, T0 + 700_000, T0 + 710_000)];
    expect(pts).toHaveLength(10);
    expect(store.raw.blocks.stats.decoded - before).toBe(1);
  });

  it('a late sample inside a closed block wins over the block’s value at the same time', () => {
    const store = newStore();
    fill(store);
    store.raw.blocks.closeAll(T0 + 3_600_000);
    const t = T0 + 10_000 + (10 % 7);
    store.raw.insert(GAUGE, t, -1);
    store.raw.insert(GAUGE, t + 1, -2);
    const pts = [...store.raw.points(GAUGE, t - 2000, t + 2)];
    expect(pts.map((p) => p.v)).toEqual([(2300 + ((9 * 37) % 29)) / 10, -1, -2]);
    expect(pts.map((p) => p.t)).toEqual([T0 + 9000 + 2, t, t + 1]);
    expect(store.raw.lastIn(GAUGE, false, t - 1000, t + 2)).toBe(-2);
  });

  it('retention deletes whole blocks only; one reaching past the cut stays', () => {
    const store = newStore();
    fill(store);
    store.raw.blocks.closeAll(T0 + 3_600_000);
    // Cut at 10:50: the first blocks (0-10 min) go; the gauge's second (10-20 min) and the texts' second (10-11:40) reach past it.
    const removed = store.raw.trim(T0 + 650_000);
    expect(removed).toBe(600 + 600 + 0);
    const first = [...store.raw.points(GAUGE, 0, T0 + 86_400_000)][0]!;
    expect(first.t).toBeGreaterThanOrEqual(T0 + 600_000);
    expect(first.t).toBeLessThan(T0 + 601_000);
    expect([...store.raw.texts(TEXT, 0, T0 + 86_400_000)]).toHaveLength(100);
  });
});
