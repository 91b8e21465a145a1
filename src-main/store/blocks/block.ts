import { BitReader, BitWriter } from './bits.js';
import { BlockError } from './errors.js';
import { readFloats, writeFloats } from './floats.js';
import { readInts, writeInts } from './ints.js';
import { readBools, readTexts, writeBools, writeTexts } from './runs.js';

/**
 * One block = the samples of one signal over a stretch of time, as bytes:
 *
 *   version u8 · kind u8 · count varint · first t varint · (last t − first t) varint   ← header, whole bytes
 *   timestamps: deltas of deltas of the count−1 steps, packed integers                ← bit stream
 *   values: floats (decimal or XOR), text runs or boolean runs
 *   zero padding to the byte
 *
 * The header alone says what a block holds and when, so a query can skip a block without decoding it.
 * Timestamps are integer milliseconds in [0, 2^53), in order; equal timestamps are allowed.
 */
export const BLOCK_VERSION = 1;
/** Enough for an hour at 10 Hz; a decoder never allocates more for a header that claims more. */
export const MAX_BLOCK_SAMPLES = 65_535;

export type BlockKind = 'float' | 'text' | 'bool';
const KIND_CODES: readonly BlockKind[] = ['float', 'text', 'bool'];

export type BlockSamples =
  | { kind: 'float'; t: readonly number[]; v: readonly number[] }
  | { kind: 'text'; t: readonly number[]; v: readonly string[] }
  | { kind: 'bool'; t: readonly number[]; v: readonly boolean[] };

export interface BlockHeader {
  version: number;
  kind: BlockKind;
  count: number;
  firstT: number;
  lastT: number;
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: BlockError };

function checkTimestamps(t: readonly number[]): void {
  let prev = 0;
  for (const [i, x] of t.entries()) {
    if (!Number.isSafeInteger(x) || x < 0)
      throw new BlockError('input', `timestamp ${x} at ${i} is not an integer in [0, 2^53)`);
    if (x < prev) throw new BlockError('input', `timestamp ${x} at ${i} is before the one preceding it`);
    prev = x;
  }
}

/** Encodes one signal's samples. Throws BlockError('input') for samples a block cannot hold. */
export function encodeBlock(samples: BlockSamples): Uint8Array {
  const { t } = samples;
  const n = t.length;
  if (n < 1 || n > MAX_BLOCK_SAMPLES)
    throw new BlockError('input', `a block holds 1 to ${MAX_BLOCK_SAMPLES} samples, not ${n}`);
  if (samples.v.length !== n) throw new BlockError('input', `${n} timestamps but ${samples.v.length} values`);
  checkTimestamps(t);
  const w = new BitWriter();
  w.bits(BLOCK_VERSION, 8);
  w.bits(KIND_CODES.indexOf(samples.kind), 8);
  w.varint(n);
  w.varint(t[0]!);
  w.varint(t[n - 1]! - t[0]!);
  const dods: number[] = [];
  for (let i = 1, prevDelta = 0; i < n; i++) {
    const d = t[i]! - t[i - 1]!;
    dods.push(d - prevDelta);
    prevDelta = d;
  }
  if (n > 1) writeInts(w, dods);
  if (samples.kind === 'float') writeFloats(w, samples.v);
  else if (samples.kind === 'text') writeTexts(w, samples.v);
  else writeBools(w, samples.v);
  return w.finish();
}

function readHeader(r: BitReader): BlockHeader {
  const version = r.bits(8);
  if (version !== BLOCK_VERSION)
    throw new BlockError('version', `block format ${version}; this app reads ${BLOCK_VERSION}`, 0);
  const code = r.bits(8);
  const kind = KIND_CODES[code];
  if (!kind) throw new BlockError('kind', `kind code ${code}`, 8);
  const count = r.varint();
  if (count < 1 || count > MAX_BLOCK_SAMPLES)
    throw new BlockError('corrupt', `count ${count} outside 1..${MAX_BLOCK_SAMPLES}`, r.position);
  const firstT = r.varint();
  const lastT = firstT + r.varint();
  if (lastT > Number.MAX_SAFE_INTEGER)
    throw new BlockError('corrupt', 'last timestamp past 2^53', r.position);
  if (count === 1 && lastT !== firstT)
    throw new BlockError('corrupt', 'one sample with two timestamps', r.position);
  return { version, kind, count, firstT, lastT };
}

function guard<T>(fn: () => T): Decoded<T> {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    if (e instanceof BlockError) return { ok: false, error: e };
    // Only BlockError is expected; anything else is a bug here, reported typed instead of thrown.
    return { ok: false, error: new BlockError('corrupt', `decoder fault: ${(e as Error).message}`) };
  }
}

/** What a block holds and when, from its first bytes only. */
export function readBlockHeader(bytes: Uint8Array): Decoded<BlockHeader> {
  return guard(() => readHeader(new BitReader(bytes)));
}

function readTimestamps(r: BitReader, h: BlockHeader): number[] {
  const t = [h.firstT];
  if (h.count === 1) return t;
  const dods = readInts(r, h.count - 1);
  let prev = h.firstT;
  let delta = 0;
  for (const dod of dods) {
    delta += dod;
    const next = prev + delta;
    if (delta < 0 || next > h.lastT)
      throw new BlockError('corrupt', 'timestamps leave the block’s time range', r.position);
    t.push(next);
    prev = next;
  }
  if (prev !== h.lastT) throw new BlockError('corrupt', 'last timestamp differs from the header', r.position);
  return t;
}

/** Decodes any byte string: the samples it holds, or a typed error saying why not. Never throws. */
export function decodeBlock(bytes: Uint8Array): Decoded<BlockSamples & BlockHeader> {
  return guard(() => {
    const r = new BitReader(bytes);
    const h = readHeader(r);
    const t = readTimestamps(r, h);
    let out: BlockSamples & BlockHeader;
    if (h.kind === 'float') out = { ...h, kind: 'float', t, v: readFloats(r, h.count) };
    else if (h.kind === 'text') out = { ...h, kind: 'text', t, v: readTexts(r, h.count) };
    else out = { ...h, kind: 'bool', t, v: readBools(r, h.count) };
    r.expectEnd();
    return out;
  });
}
