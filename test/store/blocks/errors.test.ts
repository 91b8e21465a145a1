import { describe, expect, it } from 'vitest';
import {
  BLOCK_VERSION,
  MAX_BLOCK_SAMPLES,
  decodeBlock,
  encodeBlock,
  readBlockHeader,
  type BlockSamples,
} from '../../../src-main/store/blocks/block.js';
import { BlockError, type BlockErrorCode } from '../../../src-main/store/blocks/errors.js';

const t = [1_700_000_000_000, 1_700_000_001_000, 1_700_000_002_003];
const valid = encodeBlock({ kind: 'float', t, v: [230.1, 229.9, NaN] });

function errorOf(bytes: Uint8Array): BlockErrorCode {
  const r = decodeBlock(bytes);
  if (r.ok) throw new Error('decoded, expected an error');
  expect(r.error).toBeInstanceOf(BlockError);
  expect(r.error.message.length).toBeGreaterThan(5);
  return r.error.code;
}

function refusal(samples: BlockSamples): string {
  try {
    encodeBlock(samples);
  } catch (e) {
    expect(e).toBeInstanceOf(BlockError);
    expect((e as BlockError).code).toBe('input');
    return (e as Error).message;
  }
  throw new Error('encoded, expected a refusal');
}

describe('block decoding errors', () => {
  it('an empty byte string is truncated', () => {
    expect(errorOf(new Uint8Array())).toBe('truncated');
  });

  it('every proper prefix of a block is refused, none decodes to fewer samples', () => {
    for (let n = 0; n < valid.length; n++) expect(errorOf(valid.subarray(0, n))).toBe('truncated');
  });

  it('a byte after the block, or padding bits set, is trailing data', () => {
    expect(errorOf(Uint8Array.from([...valid, 0]))).toBe('trailing');
    const padded = encodeBlock({ kind: 'bool', t: [5], v: [true] });
    const last = padded.length - 1;
    const flipped = Uint8Array.from(padded);
    flipped[last] = flipped[last]! | 1;
    expect(errorOf(flipped)).toBe('trailing');
  });

  it('an unknown version or kind says so', () => {
    expect(errorOf(Uint8Array.from([BLOCK_VERSION + 1, ...valid.subarray(1)]))).toBe('version');
    expect(errorOf(Uint8Array.from([BLOCK_VERSION, 7, ...valid.subarray(2)]))).toBe('kind');
  });

  it('a count of 0 or past the limit is corrupt, without allocating for it', () => {
    expect(errorOf(Uint8Array.from([BLOCK_VERSION, 0, 0, 0, 0]))).toBe('corrupt');
    // count = 2^21 as a varint: refused from the header alone.
    expect(errorOf(Uint8Array.from([BLOCK_VERSION, 0, 0x80, 0x80, 0x80, 0x01, 0, 0]))).toBe('corrupt');
  });

  it('a single sample whose header spans time is corrupt', () => {
    expect(errorOf(Uint8Array.from([BLOCK_VERSION, 2, 1, 5, 3, 0x80, 0x08]))).toBe('corrupt');
  });

  it('invalid UTF-8 in a text run is corrupt', () => {
    const ok = encodeBlock({ kind: 'text', t: [1], v: ['ab'] });
    const bad = Uint8Array.from(ok);
    bad[bad.length - 1] = 0xff;
    expect(errorOf(bad)).toBe('corrupt');
  });

  it('the header reads alone, even when the body is damaged', () => {
    const damaged = valid.subarray(0, 12);
    expect(decodeBlock(damaged).ok).toBe(false);
    const h = readBlockHeader(damaged);
    expect(h.ok && h.value).toEqual({ version: 1, kind: 'float', count: 3, firstT: t[0], lastT: t[2] });
  });
});

describe('block encoding refusals', () => {
  it('no samples, too many, or lengths that differ', () => {
    expect(refusal({ kind: 'float', t: [], v: [] })).toMatch(/1 to 65535 samples, not 0/);
    const many = Array.from({ length: MAX_BLOCK_SAMPLES + 1 }, (_, i) => i);
    expect(refusal({ kind: 'float', t: many, v: many })).toMatch(/not 65536/);
    expect(refusal({ kind: 'bool', t: [1, 2], v: [true] })).toMatch(/2 timestamps but 1 values/);
  });

  it('timestamps going backwards are refused (a block is in time order), equal ones are fine', () => {
    expect(refusal({ kind: 'float', t: [2000, 1000], v: [1, 2] })).toMatch(/before the one preceding it/);
    expect(() => encodeBlock({ kind: 'float', t: [1000, 1000], v: [1, 2] })).not.toThrow();
  });

  it('timestamps that are negative, fractional or past 2^53', () => {
    for (const bad of [-1, 1.5, 2 ** 53, NaN, Infinity])
      expect(refusal({ kind: 'float', t: [bad], v: [1] })).toMatch(/not an integer in \[0, 2\^53\)/);
  });

  it('text with a lone surrogate (it would not survive UTF-8)', () => {
    expect(refusal({ kind: 'text', t: [1, 2], v: ['ok', 'bad \uD800 half'] })).toMatch(
      /lone UTF-16 surrogate/,
    );
  });
});
