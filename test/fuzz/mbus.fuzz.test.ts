import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMbusInput } from '../../src-main/cli/decode-mbus.js';
import { MbusFrameParser } from '../../src-main/protocol/mbus/parser.js';
import { fuzz } from './harness.js';

const DIR = resolve(import.meta.dirname, '../../../shared/corpora/mbus/libmbus/test-frames');
const corpus = readdirSync(DIR)
  .filter((f) => f.endsWith('.hex'))
  .map((f) => Buffer.from(readFileSync(join(DIR, f), 'latin1').replace(/[^0-9a-fA-F]/g, ''), 'hex'));

describe('fuzzing the M-Bus decoder', () => {
  it('10,000+ mutated frames: each decodes or gives an error with a reason, never an exception or a hang', () => {
    expect(corpus.length).toBeGreaterThan(50);
    const { runs, failures } = fuzz(
      corpus,
      10_500,
      (input) => {
        const r = decodeMbusInput(input);
        if (r.error) expect(r.error.message.length).toBeGreaterThan(0);
        JSON.stringify(r);
        const p = new MbusFrameParser();
        p.push(input);
        p.flush();
      },
      { seed: 19, slowMs: 500 },
    );
    expect(failures).toEqual([]);
    expect(runs).toBeGreaterThanOrEqual(10_000);
  });
});
