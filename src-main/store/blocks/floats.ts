import type { BitReader } from './bits.js';
import { BitWriter } from './bits.js';
import { BlockError } from './errors.js';
import { fromResiduals, intsCost, readInts, toResiduals, writeInts } from './ints.js';

/**
 * Float values, in the cheaper of two encodings (2-bit tag):
 * - DECIMAL: every value is an integer m scaled by 10^-k (a meter's 230.1 V, 12345.678 kWh), so the
 *   integers go through the packed integer runs as values, deltas or deltas of deltas, whichever is
 *   smallest. Exact: m / 10^k gives back the same double, checked value by value before choosing it.
 * - XOR: Gorilla-style: each value's 64 bits XORed with the previous one; '0' for a repeat, '10' plus
 *   the bits inside the previous window, '11' plus a new window (6 bits leading zeros, 6 bits length).
 *   Takes anything: NaN, ±Infinity, -0, subnormals.
 */
const XOR = 0;
const DECIMAL = 1;
const MAX_SCALE = 12;
/** Scaled integers stay below this so deltas of deltas stay exact doubles. */
const MAX_SCALED = 2 ** 51;

const f64 = new DataView(new ArrayBuffer(8));

function words(v: number): [number, number] {
  f64.setFloat64(0, v);
  return [f64.getUint32(0), f64.getUint32(4)];
}

function fromWords(hi: number, lo: number): number {
  f64.setUint32(0, hi);
  f64.setUint32(4, lo);
  return f64.getFloat64(0);
}

function clz64(hi: number, lo: number): number {
  return hi ? Math.clz32(hi) : 32 + Math.clz32(lo);
}

function ctz32(x: number): number {
  return x ? 31 - Math.clz32(x & -x) : 32;
}

function ctz64(hi: number, lo: number): number {
  return lo ? ctz32(lo) : 32 + ctz32(hi);
}

/** (hi, lo) >>> s as a non-negative number of up to 53 bits, or as a pair when wider. */
function shiftRight(hi: number, lo: number, s: number): [number, number] {
  if (s === 0) return [hi, lo];
  if (s >= 32) return [0, hi >>> (s - 32)];
  return [hi >>> s, ((lo >>> s) | (hi << (32 - s))) >>> 0];
}

function shiftLeft(hi: number, lo: number, s: number): [number, number] {
  if (s === 0) return [hi, lo];
  if (s >= 32) return [(lo << (s - 32)) >>> 0, 0];
  return [((hi << s) | (lo >>> (32 - s))) >>> 0, (lo << s) >>> 0];
}

function writeWindow(w: BitWriter, hi: number, lo: number, trail: number, len: number): void {
  const [h, l] = shiftRight(hi, lo, trail);
  if (len > 32) w.bits(h, len - 32);
  w.bits(l, Math.min(len, 32));
}

function readWindow(r: BitReader, trail: number, len: number): [number, number] {
  const h = len > 32 ? r.bits(len - 32) : 0;
  const l = r.bits(Math.min(len, 32));
  return shiftLeft(h, l, trail);
}

function writeXor(w: BitWriter, vs: readonly number[]): void {
  let [ph, pl] = [0, 0];
  let lead = -1;
  let trail = 0;
  for (const v of vs) {
    const [h, l] = words(v);
    const xh = (h ^ ph) >>> 0;
    const xl = (l ^ pl) >>> 0;
    [ph, pl] = [h, l];
    if (!xh && !xl) {
      w.bit(0);
      continue;
    }
    w.bit(1);
    const nl = clz64(xh, xl);
    const nt = ctz64(xh, xl);
    if (lead >= 0 && nl >= lead && nt >= trail) {
      w.bit(0);
      writeWindow(w, xh, xl, trail, 64 - lead - trail);
      continue;
    }
    w.bit(1);
    lead = nl;
    trail = nt;
    const len = 64 - lead - trail;
    w.bits(lead, 6);
    w.bits(len - 1, 6);
    writeWindow(w, xh, xl, trail, len);
  }
}

function readXor(r: BitReader, count: number): number[] {
  const out = new Array<number>(count);
  let [ph, pl] = [0, 0];
  let lead = -1;
  let trail = 0;
  for (let i = 0; i < count; i++) {
    if (r.bit()) {
      if (r.bit()) {
        lead = r.bits(6);
        const len = r.bits(6) + 1;
        if (lead + len > 64)
          throw new BlockError('corrupt', `XOR window ${lead}+${len} > 64 bits`, r.position);
        trail = 64 - lead - len;
      } else if (lead < 0)
        throw new BlockError('corrupt', 'XOR window reused before one was set', r.position);
      const [xh, xl] = readWindow(r, trail, 64 - lead - trail);
      ph = (ph ^ xh) >>> 0;
      pl = (pl ^ xl) >>> 0;
    }
    out[i] = fromWords(ph, pl);
  }
  return out;
}

/** The smallest k for which every value is exactly m / 10^k with |m| < 2^51, if any. */
function decimalScale(vs: readonly number[]): number | undefined {
  let k = 0;
  for (const v of vs) {
    if (!Number.isFinite(v) || Object.is(v, -0)) return undefined;
    while (k <= MAX_SCALE && !exactAt(v, k)) k++;
    if (k > MAX_SCALE) return undefined;
  }
  return vs.every((v) => exactAt(v, k)) ? k : undefined;
}

function exactAt(v: number, k: number): boolean {
  const m = Math.round(v * 10 ** k);
  return Math.abs(m) < MAX_SCALED && m / 10 ** k === v;
}

function writeDecimal(w: BitWriter, vs: readonly number[], k: number): void {
  const ms = vs.map((v) => Math.round(v * 10 ** k));
  let best = { order: 0 as 0 | 1 | 2, residuals: ms, bits: Infinity, width: 0 };
  for (const order of [0, 1, 2] as const) {
    const residuals = toResiduals(ms, order);
    const cost = intsCost(residuals);
    if (cost.bits < best.bits) best = { order, residuals, ...cost };
  }
  w.bits(k, 4);
  w.bits(best.order, 2);
  writeInts(w, best.residuals, best.width);
}

function readDecimal(r: BitReader, count: number): number[] {
  const k = r.bits(4);
  if (k > MAX_SCALE) throw new BlockError('corrupt', `decimal scale ${k} > ${MAX_SCALE}`, r.position);
  const order = r.bits(2);
  if (order > 2) throw new BlockError('corrupt', `residual order ${order}`, r.position);
  const ms = fromResiduals(readInts(r, count), order as 0 | 1 | 2);
  const scale = 10 ** k;
  return ms.map((m) => {
    if (!(Math.abs(m) < MAX_SCALED))
      throw new BlockError('corrupt', 'decimal value out of range', r.position);
    return m / scale;
  });
}

export function writeFloats(w: BitWriter, vs: readonly number[]): void {
  const xor = new BitWriter();
  writeXor(xor, vs);
  const k = decimalScale(vs);
  if (k !== undefined) {
    const dec = new BitWriter();
    writeDecimal(dec, vs, k);
    if (dec.length <= xor.length) {
      w.bits(DECIMAL, 2);
      w.append(dec);
      return;
    }
  }
  w.bits(XOR, 2);
  w.append(xor);
}

export function readFloats(r: BitReader, count: number): number[] {
  const tag = r.bits(2);
  if (tag === XOR) return readXor(r, count);
  if (tag === DECIMAL) return readDecimal(r, count);
  throw new BlockError('corrupt', `float encoding ${tag}`, r.position);
}
