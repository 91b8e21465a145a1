import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeP1Input } from '../../src-main/cli/decode-p1.js';
import { fuzz } from './harness.js';

const DIR = resolve(import.meta.dirname, '../../../shared/corpora/p1/dsmr_parser');
const corpus = readdirSync(DIR)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => readFileSync(join(DIR, f)));

describe('fuzzing the P1 telegram parser', () => {
  it('10,000+ mutated telegrams: every one decodes or is rejected with a reason, never an exception', () => {
    expect(corpus.length).toBeGreaterThan(5);
    const { runs, failures } = fuzz(
      corpus,
      10_500,
      (input) => {
        const r = decodeP1Input(input, { receivedAt: 0 });
        for (const f of r.failures) expect(f.reason).toMatch(/^[a-z_]+$/);
        JSON.stringify(r);
      },
      { seed: 17, slowMs: 500 },
    );
    expect(failures).toEqual([]);
    expect(runs).toBeGreaterThanOrEqual(10_000);
  });
});
