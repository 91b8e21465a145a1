import type { BitReader, BitWriter } from './bits.js';
import { BlockError } from './errors.js';

/**
 * A run of integers (|x| < 2^53): the first alone (sign, 6-bit length, magnitude), the rest packed at
 * one width chosen per run: each takes `width` bits as a zigzag number, and the rare value that does
 * not fit (a step, a gap) writes the all-ones escape followed by sign, 6-bit length and magnitude.
 * Noise of ±30 costs 6 bits a sample, a counter creeping by 0..3 units 2-3 bits, an exactly periodic
 * clock or a value at rest 0 bits (width 0).
 */
const WIDTH_BITS = 6;
/** Widths past this go through the escape, so zigzag values stay exact doubles. */
export const MAX_WIDTH = 48;
const ESCAPE_OVERHEAD = 1 + 6;

function zigzag(x: number): number {
  return x >= 0 ? 2 * x : -2 * x - 1;
}

function unzigzag(z: number): number {
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}

/** Exact bit length of a non-negative safe integer. */
function bits(x: number): number {
  if (x < 0x1_0000_0000) return 32 - Math.clz32(x);
  return 64 - Math.clz32(Math.floor(x / 0x1_0000_0000));
}

function fits(z: number, width: number): boolean {
  return width > 0 && z < 2 ** width - 1;
}

/** Bits a run takes at its best width, and that width; O(n) with a histogram of bit lengths. */
export function intsCost(xs: readonly number[]): { bits: number; width: number } {
  if (!xs.length) return { bits: 0, width: 0 };
  const head = headBits(xs[0]!);
  // Per bit length b of the zigzag value: what their escapes would cost. A value of length b fits
  // width w when b < w, or b === w unless it is all ones (the escape code itself). Zeros fit any width.
  const escapes = new Float64Array(MAX_WIDTH + 3);
  const allOnesEscapes = new Float64Array(MAX_WIDTH + 2);
  let allZero = true;
  for (let i = 1; i < xs.length; i++) {
    const x = xs[i]!;
    if (x === 0) continue;
    allZero = false;
    const m = Math.abs(x);
    const esc = ESCAPE_OVERHEAD + bits(m);
    if (m >= 2 ** (MAX_WIDTH - 1)) {
      escapes[MAX_WIDTH + 1]! += esc;
      continue;
    }
    const z = zigzag(x);
    const b = bits(z);
    escapes[b]! += esc;
    if (z === 2 ** b - 1) allOnesEscapes[b]! += esc;
  }
  if (allZero) return { bits: WIDTH_BITS + head, width: 0 };
  // Suffix sums: escapes[b] becomes the cost of escaping every value of length b or more.
  for (let b = MAX_WIDTH; b >= 0; b--) escapes[b]! += escapes[b + 1]!;
  let best = { bits: Infinity, width: 1 };
  for (let w = 1; w <= MAX_WIDTH; w++) {
    const total = WIDTH_BITS + head + (xs.length - 1) * w + allOnesEscapes[w]! + escapes[w + 1]!;
    if (total < best.bits) best = { bits: total, width: w };
  }
  return best;
}

/** The first value of a run is usually the odd one out (a start value, a first step): written alone. */
function headBits(x: number): number {
  return 1 + 6 + bits(Math.abs(x));
}

function writeHead(w: BitWriter, x: number): void {
  const m = Math.abs(x);
  const n = bits(m);
  w.bit(x < 0);
  w.bits(n, 6);
  w.wide(m, n);
}

function readHead(r: BitReader): number {
  const negative = r.bit();
  const n = r.bits(6);
  if (n > 53) throw new BlockError('corrupt', `integer of ${n} bits`, r.position);
  const m = r.wide(n);
  return (negative ? -m : m) + 0;
}

/** Writes a run at its best width (`width` when the caller already asked `intsCost`). */
export function writeInts(w: BitWriter, xs: readonly number[], width = intsCost(xs).width): void {
  if (!xs.length) return;
  writeHead(w, xs[0]!);
  w.bits(width, WIDTH_BITS);
  if (width === 0) return;
  const escape = 2 ** width - 1;
  for (let i = 1; i < xs.length; i++) {
    const x = xs[i]!;
    const z = Math.abs(x) < 2 ** (MAX_WIDTH - 1) ? zigzag(x) : Infinity;
    if (fits(z, width)) {
      w.wide(z, width);
      continue;
    }
    const m = Math.abs(x);
    const n = bits(m);
    w.wide(escape, width);
    w.bit(x < 0);
    w.bits(n - 1, 6);
    w.wide(m, n);
  }
}

export function readInts(r: BitReader, count: number): number[] {
  if (!count) return [];
  const out = new Array<number>(count);
  out[0] = readHead(r);
  const width = r.bits(WIDTH_BITS);
  if (width > MAX_WIDTH) throw new BlockError('corrupt', `integer width ${width} > ${MAX_WIDTH}`, r.position);
  if (width === 0) return out.fill(0, 1);
  const escape = 2 ** width - 1;
  for (let i = 1; i < count; i++) {
    const z = r.wide(width);
    if (z !== escape) {
      out[i] = unzigzag(z);
      continue;
    }
    const negative = r.bit();
    const n = r.bits(6) + 1;
    if (n > 53) throw new BlockError('corrupt', `escaped integer of ${n} bits`, r.position);
    const m = r.wide(n);
    // + 0: a garbage "negative zero" decodes as plain 0.
    out[i] = (negative ? -m : m) + 0;
  }
  return out;
}

/** Residuals of order 0 (values), 1 (deltas) or 2 (deltas of deltas), starting from 0. */
export function toResiduals(xs: readonly number[], order: 0 | 1 | 2): number[] {
  let prev = 0;
  let prevDelta = 0;
  return xs.map((x) => {
    const d = x - prev;
    const r = order === 0 ? x : order === 1 ? d : d - prevDelta;
    prev = x;
    prevDelta = d;
    return r;
  });
}

export function fromResiduals(rs: readonly number[], order: 0 | 1 | 2): number[] {
  let prev = 0;
  let prevDelta = 0;
  return rs.map((r) => {
    const d = order === 0 ? r - prev : order === 1 ? r : prevDelta + r;
    const x = prev + d;
    prev = x;
    prevDelta = d;
    return x;
  });
}
