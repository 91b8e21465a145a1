import { describe, expect, it } from 'vitest';
import { decodeBlock, encodeBlock, readBlockHeader } from '../../src-main/store/blocks/block.js';
import { BlockError } from '../../src-main/store/blocks/errors.js';
import { Gen } from '../store/blocks/gen.js';
import { fuzz } from './harness.js';

const CODES = new Set(['truncated', 'trailing', 'version', 'kind', 'corrupt', 'input']);

// Small blocks of every kind and encoding, so mutations land in headers, widths, windows and runs alike.
const corpus = Array.from({ length: 300 }, (_, i) => {
  const g = new Gen(i + 1);
  const n = g.int(1, 40);
  const t = g.timestamps(n);
  const kind = i % 3;
  return Buffer.from(
    encodeBlock(
      kind === 0
        ? { kind: 'float', t, v: g.floats(n) }
        : kind === 1
          ? { kind: 'text', t, v: g.texts(n) }
          : { kind: 'bool', t, v: g.bools(n) },
    ),
  );
});

describe('fuzzing the sample block decoder', () => {
  it('10,000+ mutated blocks: each decodes to samples that re-encode, or a typed error, never a throw or a hang', () => {
    let decoded = 0;
    const { runs, failures } = fuzz(
      corpus,
      10_500,
      (input) => {
        const header = readBlockHeader(input);
        const r = decodeBlock(input);
        if (!r.ok) {
          if (
            !(r.error instanceof BlockError) ||
            !CODES.has(r.error.code) ||
            r.error.message.startsWith('decoder fault')
          )
            throw new Error(`untyped failure: ${r.error.message}`);
          return;
        }
        if (!header.ok) throw new Error('block decoded but its header did not');
        decoded++;
        // Whatever decodes is a block we could have written: it encodes and decodes to the same samples.
        const again = decodeBlock(encodeBlock(r.value));
        if (!again.ok) throw again.error;
        if (
          again.value.t.some((t, i) => t !== r.value.t[i]) ||
          again.value.v.some((v, i) => !Object.is(v, r.value.v[i]))
        )
          throw new Error('decoded samples do not survive a second round trip');
      },
      { seed: 20, slowMs: 500 },
    );
    expect(failures).toEqual([]);
    expect(runs).toBeGreaterThanOrEqual(10_000);
    // Some mutations (a flipped value bit, a changed run length that still adds up) must decode.
    expect(decoded).toBeGreaterThan(100);
  });

  it('random byte strings (not mutations of blocks) are refused with a typed error', () => {
    const g = new Gen(99);
    let refused = 0;
    for (let i = 0; i < 5000; i++) {
      const bytes = Uint8Array.from({ length: g.int(0, 64) }, () => g.int(0, 255));
      const r = decodeBlock(bytes);
      if (!r.ok) {
        expect(r.error).toBeInstanceOf(BlockError);
        expect(r.error.message).not.toMatch(/^decoder fault/);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(4900);
  });
});
