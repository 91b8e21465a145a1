/**
 * The live-plot benchmark page: the real LivePlot and ring buffers of the renderer, fed like the engine
 * feeds them (columnar batches every 250 ms) with 20 series at 10 Hz and a 1-hour window that is full
 * from the start. bench/ui-plot.ts drives it from Playwright and reads `window.bench`.
 */
import 'uplot/dist/uPlot.min.css';
import uPlot from 'uplot';
import { colorAt } from '../../src-renderer/src/pages/live/palette.js';
import { LivePlot, type FrameStats } from '../../src-renderer/src/pages/live/live-plot.js';
import { LiveBuffers } from '../../src-renderer/src/state/ring.js';

const SERIES = 20;
const HZ = 10;
const WINDOW_MS = 3_600_000;
const UNITS = ['V', 'A', 'W', 'Hz'];

const value = (s: number, t: number): number => 100 * (s + 1) + 10 * Math.sin(t / 20_000 + s) + Math.random();

const buffers = new LiveBuffers();
const listeners = new Set<() => void>();
const now = Date.now();
// A full hour already in the buffers: 36 000 samples per series.
for (let t = now - WINDOW_MS; t <= now; t += 1000 / HZ) {
  const uid: number[] = [];
  const ts: number[] = [];
  const v: number[] = [];
  for (let s = 0; s < SERIES; s++) {
    uid.push(s + 1);
    ts.push(t);
    v.push(value(s, t));
  }
  buffers.ingest({ uid, t: ts, v });
}
let lastT = now;

const frames: number[] = [];
const intervals: number[] = [];
let points = 0;
const el = document.getElementById('chart') as HTMLElement;
const plot = new LivePlot(el, buffers, {
  windowMs: WINDOW_MS,
  height: 420,
  labels: { time: 'Time', noUnit: '(no unit)' },
  colors: { axis: '#4b5565', grid: '#e6e8ec' },
  subscribe: (fn) => {
    listeners.add(fn);
    return () => listeners.delete(fn);
  },
  onFrame: (f: FrameStats) => {
    frames.push(f.ms);
    points = f.points;
  },
});
plot.setSeries(
  Array.from({ length: SERIES }, (_, s) => ({
    uid: s + 1,
    label: `series ${s + 1}`,
    unit: UNITS[s % UNITS.length] ?? '',
    color: colorAt(s),
  })),
);

// The engine's feed: every 250 ms one columnar batch with 2–3 samples of every series.
setInterval(() => {
  const end = Date.now();
  const uid: number[] = [];
  const ts: number[] = [];
  const v: number[] = [];
  for (let t = lastT + 1000 / HZ; t <= end; t += 1000 / HZ) {
    for (let s = 0; s < SERIES; s++) {
      uid.push(s + 1);
      ts.push(t);
      v.push(value(s, t));
    }
    lastT = t;
  }
  buffers.ingest({ uid, t: ts, v });
  for (const l of listeners) l();
}, 250);

// Frame pacing of the whole page: the gaps between animation frames while the chart updates.
let prev = performance.now();
const tick = (t: number): void => {
  intervals.push(t - prev);
  prev = t;
  requestAnimationFrame(tick);
};
requestAnimationFrame(tick);

/** The same 20 series drawn raw (no decimation), one uPlot setData per frame: the baseline. */
async function rawBaseline(n: number): Promise<number[]> {
  const host = document.createElement('div');
  document.body.append(host);
  const end = lastT;
  const start = end - WINDOW_MS;
  const first = buffers.get(1);
  if (!first) return [];
  const i0 = first.indexAtOrAfter(start);
  const x: number[] = [];
  for (let i = i0; i < first.length; i++) x.push(first.timeAt(i) / 1000);
  const ys = Array.from({ length: SERIES }, (_, s) => {
    const r = buffers.get(s + 1);
    const out: number[] = [];
    for (let i = i0; r && i < r.length && out.length < x.length; i++) out.push(r.valueAt(i));
    return out;
  });
  const times: number[] = [];
  let t0 = 0;
  const u = new uPlot(
    {
      width: 1280,
      height: 420,
      scales: Object.fromEntries([['x', { time: true }], ...UNITS.map((un) => [un, { auto: true }])]),
      series: [
        {},
        ...ys.map((_, s) => ({
          scale: UNITS[s % UNITS.length],
          stroke: colorAt(s),
          points: { show: false },
        })),
      ],
      axes: [{}, ...UNITS.map((un, i) => ({ scale: un, side: i % 2 ? 1 : 3 }))],
      hooks: { draw: [() => times.push(performance.now() - t0)] },
    },
    [x, ...ys],
    host,
  );
  for (let k = 0; k < n; k++) {
    await new Promise<void>((done) =>
      requestAnimationFrame(() => {
        t0 = performance.now();
        u.setData([x, ...ys]);
        queueMicrotask(() => queueMicrotask(() => done()));
      }),
    );
  }
  u.destroy();
  host.remove();
  return times.slice(1);
}

declare global {
  interface Window {
    bench: {
      reset(): void;
      read(): { frames: number[]; intervals: number[]; points: number };
      rawBaseline(n: number): Promise<number[]>;
    };
  }
}

window.bench = {
  reset: () => {
    frames.length = 0;
    intervals.length = 0;
  },
  read: () => ({ frames: [...frames], intervals: [...intervals], points }),
  rawBaseline,
};
