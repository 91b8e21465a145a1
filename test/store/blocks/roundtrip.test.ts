import { describe, expect, it } from 'vitest';
import {
  decodeBlock,
  encodeBlock,
  readBlockHeader,
  type BlockSamples,
} from '../../../src-main/store/blocks/block.js';
import { Gen } from './gen.js';

function roundTrip(block: BlockSamples): void {
  const bytes = encodeBlock(block);
  const back = decodeBlock(bytes);
  if (!back.ok) throw back.error;
  expect(back.value.kind).toBe(block.kind);
  expect(back.value.t.length).toBe(block.t.length);
  expect(back.value.v.length).toBe(block.v.length);
  const wrongT = block.t.findIndex((t, i) => t !== back.value.t[i]);
  expect(wrongT, `timestamp ${wrongT}: ${block.t[wrongT]} came back as ${back.value.t[wrongT]}`).toBe(-1);
  // Object.is: -0 must stay -0 and NaN must stay NaN, which toEqual would not tell apart.
  const wrong = block.v.findIndex((v, i) => !Object.is(v, back.value.v[i]));
  expect(wrong, `value ${wrong}: ${String(block.v[wrong])} came back as ${String(back.value.v[wrong])}`).toBe(
    -1,
  );
  const header = readBlockHeader(bytes);
  expect(header.ok && header.value).toMatchObject({
    kind: block.kind,
    count: block.t.length,
    firstT: block.t[0],
    lastT: block.t.at(-1),
  });
}

describe('block round trips (seeded properties)', () => {
  it('3,000 generated blocks of every kind come back sample for sample', () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const block = new Gen(seed).block();
      try {
        roundTrip(block);
      } catch (e) {
        throw new Error(`seed ${seed} (${block.kind}, ${block.t.length} samples): ${(e as Error).message}`);
      }
    }
  });

  it('keeps NaN, ±Infinity, -0, subnormals and the extremes of a double', () => {
    const v = [
      NaN,
      Infinity,
      -Infinity,
      -0,
      0,
      Number.MIN_VALUE,
      -Number.MIN_VALUE,
      Number.MAX_VALUE,
      -0,
      NaN,
      1,
    ];
    roundTrip({ kind: 'float', t: v.map((_, i) => i * 1000), v });
  });

  it('keeps -0 inside an otherwise decimal run (it must not collapse to 0)', () => {
    roundTrip({ kind: 'float', t: [1, 2, 3, 4], v: [230.1, -0, 229.9, 0] });
  });

  it('huge timestamp gaps and both ends of the range', () => {
    const t = [
      0,
      0,
      1,
      2 ** 52,
      Number.MAX_SAFE_INTEGER - 1,
      Number.MAX_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER,
    ];
    roundTrip({ kind: 'float', t, v: t.map((x) => x / 7) });
    roundTrip({ kind: 'bool', t, v: t.map((x) => x % 2 === 0) });
  });

  it('equal timestamps are kept in order with their own values', () => {
    roundTrip({ kind: 'text', t: [5, 5, 5, 6], v: ['on', 'off', 'on', ''] });
  });

  it('text with a byte-order mark, NUL, emoji and an empty string', () => {
    roundTrip({ kind: 'text', t: [1, 2, 3, 4, 5], v: ['\uFEFFstart', 'a\u0000b', '😀', '', '\uFEFFstart'] });
  });

  it('a steady 1-s clock and an unchanging value cost no bits per sample', () => {
    const t = Array.from({ length: 3600 }, (_, i) => 1_700_000_000_000 + i * 1000);
    // Header, the first step, the first value and the widths only.
    expect(encodeBlock({ kind: 'float', t, v: t.map(() => 230.1) }).length).toBeLessThan(32);
    expect(encodeBlock({ kind: 'bool', t, v: t.map(() => true) }).length).toBeLessThan(32);
    expect(encodeBlock({ kind: 'text', t, v: t.map(() => 'running') }).length).toBeLessThan(40);
  });

  it('decimal meter values take fewer bytes than XOR of the same doubles would', () => {
    const g = new Gen(7);
    const t = Array.from({ length: 600 }, (_, i) => i * 1000);
    const v = t.map(() => Math.round(2300 + g.int(-15, 15)) / 10);
    // 600 voltages with ±1.5 V noise at 0.1 V: about 5 bits each, not the 8 bytes of a double.
    expect(encodeBlock({ kind: 'float', t, v }).length).toBeLessThan(600);
  });
});
