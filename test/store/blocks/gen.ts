import type { BlockSamples } from '../../../src-main/store/blocks/block.js';
import { rng } from '../../fuzz/harness.js';

/** A seeded generator of sample runs: the same seed always gives the same block, so failures replay. */
export class Gen {
  readonly next: () => number;

  constructor(readonly seed: number) {
    this.next = rng(seed);
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }

  /** Any double at all, from its 64 bits: NaNs, subnormals, huge and tiny magnitudes. */
  anyDouble(): number {
    const view = new DataView(new ArrayBuffer(8));
    view.setUint32(0, Math.floor(this.next() * 2 ** 32));
    view.setUint32(4, Math.floor(this.next() * 2 ** 32));
    return view.getFloat64(0);
  }

  count(): number {
    return this.pick([1, 2, 3, this.int(1, 70), this.int(1, 700), this.int(1000, 1500)]);
  }

  /** Non-decreasing integer milliseconds in [0, 2^53): steady, jittery, repeated, with huge gaps. */
  timestamps(n: number): number[] {
    const max = Number.MAX_SAFE_INTEGER;
    const style = this.int(0, 5);
    let t = this.pick([
      0,
      1_700_000_000_000 + this.int(0, 1e9),
      this.int(0, 2 ** 40),
      max - this.int(0, 1e6),
    ]);
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      out.push(t);
      const step =
        style === 0
          ? 1000
          : style === 1
            ? 1000 + this.int(-15, 15)
            : style === 2
              ? this.pick([0, 0, 1, 1000])
              : style === 3
                ? this.pick([1000, 1000, 1000, this.int(0, 2 ** 45), this.int(0, 2 ** 52)])
                : style === 4
                  ? this.int(0, 2 ** 20)
                  : 0;
      t = Math.min(max, t + Math.max(0, step));
    }
    return out;
  }

  floats(n: number): number[] {
    const special = [
      NaN,
      Infinity,
      -Infinity,
      -0,
      0,
      Number.MIN_VALUE,
      -Number.MAX_VALUE,
      2 ** -1074 * 3,
      1e308,
    ];
    const style = this.int(0, 6);
    const out: number[] = [];
    let x = this.pick([0, 230, 12345.678, -5, 1e15]);
    const k = this.int(0, 6);
    for (let i = 0; i < n; i++) {
      if (style === 0) out.push(this.anyDouble());
      else if (style === 1) out.push(this.pick(special));
      else if (style === 2) out.push(Math.round(x * 10 ** k + this.int(-30, 30)) / 10 ** k);
      else if (style === 3) out.push((x += this.int(0, 5) / 1000));
      else if (style === 4) out.push(this.pick([x, x, x, this.anyDouble(), ...special]));
      else if (style === 5) out.push(Math.sin(i / 100) * 1000 + this.next());
      else out.push(this.int(-(2 ** 53) + 1, 2 ** 53 - 1) / this.pick([1, 10, 1000]));
    }
    return out;
  }

  texts(n: number): string[] {
    const alphabet = ['a', 'Z', ' ', 'é', 'ß', '水', '😀', '\u0000', '\uFEFF', '\n', '"', '\\'];
    const pool = Array.from({ length: this.int(1, 6) }, () =>
      Array.from({ length: this.int(0, 20) }, () => this.pick(alphabet)).join(''),
    );
    return Array.from({ length: n }, () => (this.next() < 0.9 ? pool[0]! : this.pick(pool)));
  }

  bools(n: number): boolean[] {
    const flip = this.pick([0, 0.01, 0.5, 1]);
    let b = this.next() < 0.5;
    return Array.from({ length: n }, () => (this.next() < flip ? (b = !b) : b));
  }

  block(): BlockSamples {
    const n = this.count();
    const t = this.timestamps(n);
    const kind = this.pick(['float', 'float', 'float', 'text', 'bool'] as const);
    if (kind === 'float') return { kind, t, v: this.floats(n) };
    if (kind === 'text') return { kind, t, v: this.texts(n) };
    return { kind, t, v: this.bools(n) };
  }
}
