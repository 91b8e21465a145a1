import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BucketAggregation } from '../../src-main/store/telemetry-queries.js';
import { usesRollups } from '../../src-main/store/telemetry-queries.js';
import { Store } from '../../src-main/store/store.js';
import type { HistoryQueries } from '../../src-main/store/history-queries.js';
import { recordOf } from '../helpers/history-record.js';

const T0 = 1_735_689_600_000;
let store: Store;
let gauge: number;
let counter: number;
const samples = new Map<number, { t: number; v: number }[]>();

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

beforeAll(() => {
  store = new Store({ file: join(mkdtempSync(join(tmpdir(), 'ems-q-')), 'ems.db') });
  const tree = store.config.addDevice({
    label: 'M',
    protocol: 'tcp',
    model: null,
    partNumber: 'X',
    system: '1P',
    connection: { host: '127.0.0.1', port: 502, unit: 1, model: 'x' },
    loads: [
      {
        label: 'L',
        index: 1,
        signals: [
          { key: 'voltage', si: 29, kind: 'gauge', type: 'float', unit: 'V' },
          { key: 'energy_import', si: 6, kind: 'counter', type: 'float', unit: 'kWh' },
        ],
      },
    ],
  });
  [gauge, counter] = tree.loads[0]!.signals.map((s) => s.uid) as [number, number];
  const r = rng(42);
  const rows: { uid: number; t: number; v: number }[] = [];
  let energy = 1000;
  // Three hours of irregular samples (1-7 s apart) with a 20-minute hole in the middle.
  for (let t = T0 + 123; t < T0 + 3 * 3600_000; t += 1000 + Math.floor(r() * 6000)) {
    if (t > T0 + 3600_000 && t < T0 + 4800_000) continue;
    const v = Math.round((220 + r() * 20) * 100) / 100;
    energy += r() / 10;
    rows.push({ uid: gauge, t, v }, { uid: counter, t, v: energy });
  }
  for (const row of rows) {
    const list = samples.get(row.uid) ?? [];
    list.push({ t: row.t, v: row.v });
    samples.set(row.uid, list);
  }
  store.samples.importSamples(rows);
});
afterAll(() => store.close());

/**
 * The reference the SQL must match: buckets computed naively in JS from the same samples. Roll-ups
 * keep sums and last values, so every aggregation is the same from raw samples and from roll-ups;
 * only the range differs (roll-ups count a minute that overlaps it).
 */
function reference(uid: number, fromMs: number, toMs: number, gMs: number, agg: BucketAggregation) {
  const rollup = usesRollups(BigInt(gMs) * 1_000_000n);
  const list = (samples.get(uid) ?? []).filter((s) =>
    rollup
      ? Math.floor(s.t / 60_000) * 60_000 >= Math.floor(fromMs / 60_000) * 60_000 &&
        Math.floor(s.t / 60_000) * 60_000 < toMs
      : s.t >= fromMs && s.t < toMs,
  );
  const buckets = new Map<number, { t: number; v: number }[]>();
  for (const s of list) {
    const b = Math.floor(s.t / gMs) * gMs;
    const list = buckets.get(b);
    if (list) list.push(s);
    else buckets.set(b, [s]);
  }
  return [...buckets.entries()].map(([b, xs]) => {
    const vs = xs.map((x) => x.v);
    const v =
      agg === 'avg'
        ? vs.reduce((a, c) => a + c, 0) / vs.length
        : agg === 'min'
          ? Math.min(...vs)
          : agg === 'max'
            ? Math.max(...vs)
            : vs.at(-1)!;
    return { b: BigInt(b) * 1_000_000n, v };
  });
}

describe('TelemetryQueries.buckets', () => {
  it('matches a naive JS computation for raw and roll-up granularities, every aggregation, aligned and unaligned ranges', () => {
    const ranges: [number, number][] = [
      [T0, T0 + 3 * 3600_000],
      [T0 + 1234, T0 + 2 * 3600_000 + 777],
      [T0 + 3500_000, T0 + 5000_000],
    ];
    let compared = 0;
    for (const uid of [gauge, counter])
      for (const gMs of [
        250, 1000, 7000, 10_000, 45_000, 60_000, 120_000, 300_000, 3600_000, 7200_000, 86_400_000,
      ])
        for (const aggregation of ['avg', 'min', 'max', 'last'] as const)
          for (const [fromMs, toMs] of ranges) {
            const gNs = BigInt(gMs) * 1_000_000n;
            const got = store.telemetry.buckets({ uid, fromMs, toMs, gNs, aggregation, text: false });
            const want = reference(uid, fromMs, toMs, gMs, aggregation);
            expect(
              got.map((b) => b.b),
              `${gMs}ms ${aggregation}`,
            ).toEqual(want.map((b) => b.b));
            got.forEach((b, i) => expect(b.v).toBeCloseTo(want[i]!.v, 9));
            compared += got.length;
          }
    expect(compared).toBeGreaterThan(20_000);
  });

  it('lets SQLite range-scan and group: raw samples through the (uid, t) key, roll-ups through (uid, p)', () => {
    const plan = (sql: string) =>
      (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
        .map((r) => r.detail)
        .join(' | ');
    expect(
      plan(
        'SELECT (t / 1000) * 1000 AS b, avg(v) FROM samples WHERE uid = 1 AND t >= 0 AND t < 5 GROUP BY b',
      ),
    ).toMatch(/SEARCH samples USING PRIMARY KEY \(uid=\? AND t>\? AND t<\?\)/);
    expect(
      plan(
        'SELECT ((p - 60) / 60) * 60 AS b, min(min) FROM history WHERE uid = 1 AND p >= 0 AND p < 5 GROUP BY b',
      ),
    ).toMatch(/SEARCH history USING PRIMARY KEY \(uid=\? AND p>\? AND p<\?\)/);
  });

  it('finds the last value before an instant, from raw samples or, once they are trimmed, from roll-ups', () => {
    const list = samples.get(gauge)!;
    const before = T0 + 3600_000 + 600_000; // inside the hole
    const last = list.filter((s) => s.t < before).at(-1)!;
    expect(store.telemetry.lastBefore(gauge, false, T0, before)).toBe(last.v);
    expect(store.telemetry.lastBefore(gauge, false, last.t + 1, before)).toBeUndefined();
    const copy = new Store({ file: store.options.file });
    try {
      copy.samples.trimRaw(0, T0 + 4 * 3600_000);
      // The roll-up keeps the minute's last value, not its mean.
      expect(copy.telemetry.raw.lastIn(gauge, false, T0, before)).toBeUndefined();
      expect(copy.telemetry.lastBefore(gauge, false, T0, before)).toBe(last.v);
    } finally {
      copy.close();
    }
    // The data is gone from the shared file now; nothing below relies on raw samples.
  });
});

describe('HistoryQueries', () => {
  /** History rows as records, the shape `latest` answers in. */
  const range = (...a: Parameters<HistoryQueries['rangeRows']>) =>
    store.historyQueries.rangeRows(...a).map(recordOf);

  it('pages a flat list ordered by uid then period: the pages put together are the whole list', () => {
    const all = range('all', 0, Number.MAX_SAFE_INTEGER, {
      limit: 1_000_000,
      offset: 0,
    });
    expect(all.length).toBeGreaterThan(300);
    const keys = all.map((h) => [h.uid, h.p]);
    expect(keys).toEqual([...keys].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!));
    const pages = [];
    for (let offset = 0; offset < all.length; offset += 37)
      pages.push(...range([counter, gauge], 0, Number.MAX_SAFE_INTEGER, { limit: 37, offset }));
    expect(pages).toEqual(all);
    // Pages asked out of order, again, and with other sizes (read from the offset or resumed from the
    // page before) are the same slices.
    for (const [offset, limit] of [
      [74, 37],
      [37, 37],
      [111, 50],
      [161, 13],
      [74, 37],
      [0, 5],
      [5, 300],
    ] as const)
      expect(range([counter, gauge], 0, Number.MAX_SAFE_INTEGER, { limit, offset })).toEqual(
        all.slice(offset, offset + limit),
      );
    const latest = store.historyQueries.latest('all', { limit: 10, offset: 0 });
    expect(latest).toEqual([
      all.filter((h) => h.uid === gauge).at(-1),
      all.filter((h) => h.uid === counter).at(-1),
    ]);
  });

  it('selects records by the time of their last sample, start inclusive and end exclusive', () => {
    const all = range([gauge], 0, Number.MAX_SAFE_INTEGER, {
      limit: 1_000_000,
      offset: 0,
    });
    const mid = all[Math.floor(all.length / 2)]!;
    const from = range([gauge], mid.t * 1000, Number.MAX_SAFE_INTEGER, {
      limit: 1_000_000,
      offset: 0,
    });
    expect(from[0]).toEqual(mid);
    const to = range([gauge], 0, mid.t * 1000, { limit: 1_000_000, offset: 0 });
    expect(to.at(-1)).toEqual(all[all.indexOf(mid) - 1]);
    expect(from.length + to.length).toBe(all.length);
  });
});

describe('TokensRepo', () => {
  it('stores only a hash, verifies the exact secret, lists and revokes', () => {
    store.users.add('root', 'long enough password', 'admin');
    const { token, info } = store.tokens.create('ci', 'root', 1000);
    expect(store.tokens.verify(token)).toEqual(info);
    expect(store.tokens.verify(token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))).toBeUndefined();
    expect(store.tokens.verify(`${token}x`)).toBeUndefined();
    expect(JSON.stringify(store.db.prepare('SELECT * FROM api_tokens').all())).not.toContain(token.slice(22));
    expect(store.tokens.list()).toEqual([info]);
    expect(store.tokens.revoke(info.id)).toBe(true);
    expect(store.tokens.verify(token)).toBeUndefined();
    expect(store.tokens.list()[0]!.revoked).toBe(true);
    expect(store.tokens.revoke('0000000000000000')).toBe(false);
    expect(() => store.tokens.create('\u0007bell', 'root')).toThrow(/label/);
  });
});
