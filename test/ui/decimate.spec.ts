import { expect, test } from '@playwright/test';
import { Decimator, FrameData, nearestValue } from '../../src-renderer/src/pages/live/decimate.js';
import { LiveBuffers, RingSeries } from '../../src-renderer/src/state/ring.js';

// The renderer's live-data core is plain TypeScript: tested here without a page, next to the
// browser tests that exercise it end to end.

test('ring buffers keep an hour, oldest first, and drop what is older', () => {
  const r = new RingSeries(1000, 4, 1 << 10);
  for (let t = 0; t <= 3000; t += 100) r.push(t, t / 100);
  expect(r.length).toBe(11);
  expect(r.timeAt(0)).toBe(2000);
  expect(r.valueAt(r.length - 1)).toBe(30);
  expect(r.indexAtOrAfter(2450)).toBe(5);
  expect(r.indexAfter(2500)).toBe(6);
  r.push(2900, 1); // out of order: refused
  expect(r.length).toBe(11);
});

test('decimation keeps each bin’s extremes in the order they occurred and breaks the line where stale', () => {
  const b = new LiveBuffers(10_000);
  // One bin per second over 10 s; bin 3 has a spike down then up, bin 6 only stale samples.
  const samples: [number, number][] = [];
  for (let t = 0; t < 10_000; t += 250) samples.push([t, 10]);
  samples[13] = [3250, -50];
  samples[14] = [3500, 90];
  for (const i of [24, 25, 26, 27]) samples[i] = [i * 250, NaN];
  b.ingest({ uid: samples.map(() => 1), t: samples.map((s) => s[0]), v: samples.map((s) => s[1]) });
  const out = new FrameData();
  const seen = new Decimator().frame(out, [b.get(1)], 10_000, 9_999, 10);
  expect(seen).toBe(40);
  const y = out.ys[0] ?? [];
  // kFrom = -1 (the bin before the window), so window bin b sits at slots 2(b+1), 2(b+1)+1.
  expect([y[8], y[9]]).toEqual([-50, 90]);
  expect([y[14], y[15]]).toEqual([null, undefined]);
  expect(y[2]).toBe(10);
  expect(out.x).toHaveLength(22);
});

test('folding new samples in gives the same frame as decimating everything at once', () => {
  const value = (t: number): number => Math.sin(t / 900) * 100 + (t % 7);
  const live = new LiveBuffers(60_000);
  const whole = new LiveBuffers(60_000);
  const inc = new Decimator();
  const a = new FrameData();
  for (let t = 0; t < 50_000; t += 100) {
    live.ingest({ uid: [1], t: [t], v: [value(t)] });
    if (t % 1000 === 900) inc.frame(a, [live.get(1)], 30_000, t, 120);
  }
  for (let t = 0; t < 50_000; t += 100) whole.ingest({ uid: [1], t: [t], v: [value(t)] });
  const b = new FrameData();
  new Decimator().frame(b, [whole.get(1)], 30_000, 49_900, 120);
  inc.frame(a, [live.get(1)], 30_000, 49_900, 120);
  expect(a.x).toEqual(b.x);
  expect(a.ys[0]).toEqual(b.ys[0]);
});

test('the cursor finds the nearest slot with a value', () => {
  expect(nearestValue([undefined, undefined, 5, undefined], 0, 3)).toBe(2);
  expect(nearestValue([undefined, undefined, 5, undefined], 3, 3)).toBe(2);
  expect(nearestValue([undefined, undefined, undefined], 1, 1)).toBe(1);
});
