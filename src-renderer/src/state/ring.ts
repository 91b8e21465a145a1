/**
 * One signal's recent samples in two growable circular Float64Arrays (time, value), oldest first,
 * trimmed by age. Pushing is O(1) amortised; nothing is allocated per sample.
 */
export class RingSeries {
  private t: Float64Array;
  private v: Float64Array;
  private head = 0;
  private len = 0;

  constructor(
    private readonly horizonMs: number,
    initial = 256,
    private readonly maxPoints = 1 << 17,
  ) {
    this.t = new Float64Array(initial);
    this.v = new Float64Array(initial);
  }

  get length(): number {
    return this.len;
  }

  /** Appends a sample (NaN for "no value"); samples older than the horizon fall out. */
  push(t: number, v: number): void {
    if (this.len && t < this.timeAt(this.len - 1)) return; // out of order: the poller never does this
    while (this.len && this.timeAt(0) < t - this.horizonMs) this.dropOldest();
    if (this.len === this.t.length) {
      if (this.len < this.maxPoints) this.grow();
      else this.dropOldest();
    }
    const i = (this.head + this.len) % this.t.length;
    this.t[i] = t;
    this.v[i] = v;
    this.len++;
  }

  timeAt(i: number): number {
    return this.t[(this.head + i) % this.t.length] ?? NaN;
  }

  valueAt(i: number): number {
    return this.v[(this.head + i) % this.v.length] ?? NaN;
  }

  /** Index of the first sample at or after `t` (binary search). */
  indexAtOrAfter(t: number): number {
    let lo = 0;
    let hi = this.len;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.timeAt(mid) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first sample strictly after `t` (binary search). */
  indexAfter(t: number): number {
    let lo = 0;
    let hi = this.len;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.timeAt(mid) <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private dropOldest(): void {
    this.head = (this.head + 1) % this.t.length;
    this.len--;
  }

  private grow(): void {
    const n = Math.min(this.t.length * 2, this.maxPoints);
    const t = new Float64Array(n);
    const v = new Float64Array(n);
    for (let i = 0; i < this.len; i++) {
      t[i] = this.timeAt(i);
      v[i] = this.valueAt(i);
    }
    this.t = t;
    this.v = v;
    this.head = 0;
  }
}

/** Ring buffers of every signal that sent samples, fed from the columnar batches. */
export class LiveBuffers {
  private readonly series = new Map<number, RingSeries>();
  /** Bumped on every batch, so a chart knows when to redraw. */
  generation = 0;

  constructor(readonly horizonMs = 3_600_000 + 60_000) {}

  ingest(batch: {
    uid: readonly number[];
    t: readonly number[];
    v: readonly (number | string | null)[];
  }): void {
    for (let i = 0; i < batch.uid.length; i++) {
      const v = batch.v[i];
      if (typeof v === 'string') continue;
      const uid = batch.uid[i] ?? 0;
      let s = this.series.get(uid);
      if (!s) {
        s = new RingSeries(this.horizonMs);
        this.series.set(uid, s);
      }
      s.push(batch.t[i] ?? 0, v ?? NaN);
    }
    this.generation++;
  }

  get(uid: number): RingSeries | undefined {
    return this.series.get(uid);
  }

  count(uids: readonly number[]): number {
    let n = 0;
    for (const u of uids) n += this.series.get(u)?.length ?? 0;
    return n;
  }
}
