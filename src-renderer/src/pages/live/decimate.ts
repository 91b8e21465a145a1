import type { RingSeries } from '../../state/ring.js';

/**
 * Reusable arrays for one chart frame: x (seconds, two slots per bin) and one y array per series.
 * In a y array, `undefined` is "no sample in this slot" (the line is drawn across it) and `null` is
 * "the signal was stale here" (the line breaks), which is how uPlot tells the two apart.
 */
export class FrameData {
  x: number[] = [];
  ys: (number | null | undefined)[][] = [];

  resize(slots: number, series: number): void {
    if (this.x.length !== slots) this.x = new Array<number>(slots).fill(0);
    while (this.ys.length < series) this.ys.push([]);
    this.ys.length = series;
    for (let i = 0; i < series; i++) if (this.ys[i]?.length !== slots) this.ys[i] = new Array(slots);
  }
}

/** Bin slots kept per series; more than the widest chart needs (bins + 1). */
const CAP = 4096;

/**
 * Min/max per time bin of one series, for bins aligned to absolute time (bin k covers
 * [k·w, (k+1)·w)). New samples are folded in as they arrive, so a frame costs the new samples plus
 * one pass over the visible bins, never a pass over the whole hour.
 */
class SeriesBins {
  private readonly k = new Float64Array(CAP).fill(NaN);
  private readonly min = new Float64Array(CAP);
  private readonly max = new Float64Array(CAP);
  private readonly minAt = new Int32Array(CAP);
  private readonly maxAt = new Int32Array(CAP);
  private readonly count = new Int32Array(CAP);
  private readonly seen = new Int32Array(CAP);
  private lastT = -Infinity;

  /** Folds in every sample newer than the last one folded, but none older than `fromMs`. */
  fold(r: RingSeries, w: number, fromMs: number): void {
    const start = r.indexAfter(Math.max(this.lastT, fromMs - 1e-6));
    for (let i = start; i < r.length; i++) {
      const t = r.timeAt(i);
      const kk = Math.floor(t / w);
      const slot = kk % CAP;
      if (this.k[slot] !== kk) {
        this.k[slot] = kk;
        this.min[slot] = Infinity;
        this.max[slot] = -Infinity;
        this.count[slot] = 0;
        this.seen[slot] = 0;
      }
      this.seen[slot] = (this.seen[slot] ?? 0) + 1;
      const v = r.valueAt(i);
      if (!Number.isNaN(v)) {
        const n = this.count[slot] ?? 0;
        if (v < (this.min[slot] ?? Infinity)) {
          this.min[slot] = v;
          this.minAt[slot] = n;
        }
        if (v > (this.max[slot] ?? -Infinity)) {
          this.max[slot] = v;
          this.maxAt[slot] = n;
        }
        this.count[slot] = n + 1;
      }
      this.lastT = t;
    }
  }

  /** Writes bins kFrom..kFrom+bins-1 into two slots each; returns the samples they hold. */
  fill(y: (number | null | undefined)[], kFrom: number, bins: number): number {
    let samples = 0;
    for (let b = 0; b < bins; b++) {
      const kk = kFrom + b;
      const slot = kk % CAP;
      y[2 * b] = undefined;
      y[2 * b + 1] = undefined;
      if (this.k[slot] !== kk) continue;
      samples += this.seen[slot] ?? 0;
      const n = this.count[slot] ?? 0;
      const lo = this.min[slot] ?? 0;
      const hi = this.max[slot] ?? 0;
      if (n === 0) y[2 * b] = null;
      else if (lo === hi) y[2 * b] = lo;
      else {
        const minFirst = (this.minAt[slot] ?? 0) < (this.maxAt[slot] ?? 0);
        y[2 * b] = minFirst ? lo : hi;
        y[2 * b + 1] = minFirst ? hi : lo;
      }
    }
    return samples;
  }
}

/**
 * Min/max decimation of live series onto the pixel grid: each bin keeps its smallest and largest
 * sample in the order they occurred, so spikes survive at any zoom while the chart draws at most two
 * points per bin whatever the sample rate. Bins are cached between frames (see SeriesBins).
 */
export class Decimator {
  private w = 0;
  private bins: SeriesBins[] = [];

  /** Fills `out` with the window ending at `endMs`; returns how many samples it covers. */
  frame(
    out: FrameData,
    series: readonly (RingSeries | undefined)[],
    windowMs: number,
    endMs: number,
    bins: number,
  ): number {
    const n = Math.min(bins, CAP - 2);
    const w = windowMs / n;
    if (w !== this.w || this.bins.length !== series.length) {
      this.w = w;
      this.bins = series.map(() => new SeriesBins());
    }
    const kEnd = Math.floor(endMs / w);
    const kFrom = kEnd - n;
    const count = n + 1;
    out.resize(count * 2, series.length);
    for (let b = 0; b < count; b++) {
      out.x[2 * b] = ((kFrom + b + 0.25) * w) / 1000;
      out.x[2 * b + 1] = ((kFrom + b + 0.75) * w) / 1000;
    }
    let samples = 0;
    series.forEach((r, i) => {
      const cache = this.bins[i];
      const y = out.ys[i];
      if (!cache || !y) return;
      if (r) cache.fold(r, w, kFrom * w);
      samples += cache.fill(y, kFrom, count);
    });
    return samples;
  }
}

/** Nearest slot with a value, for the cursor: a sparse series still shows a number under the mouse. */
export function nearestValue(ys: readonly (number | null | undefined)[], idx: number, reach: number): number {
  if (ys[idx] != null) return idx;
  for (let d = 1; d <= reach; d++) {
    if (ys[idx - d] != null) return idx - d;
    if (ys[idx + d] != null) return idx + d;
  }
  return idx;
}
