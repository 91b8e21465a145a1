import { describe, expect, it } from 'vitest';
import { sharedPath } from '../helpers/shared-dir.js';
import { fuzzReach } from './harness.js';
import { checkMbus, mbusCorpus, mbusStats, mutateMbus } from './structured/mbus.js';

const corpus = mbusCorpus(sharedPath('corpora', 'mbus', 'libmbus', 'test-frames'));

describe('fuzzing the M-Bus decoder', () => {
  it('10,000+ frames mutated inside valid framing reach the application layer; its oracles hold', () => {
    expect(corpus.length).toBeGreaterThan(50);
    const reply = fuzzReach(corpus, 10_500, mutateMbus, checkMbus, { seed: 19 });
    expect(reply.failures).toEqual([]);
    // Inputs that die at the checksum test nothing behind it: most must get through to the records.
    expect(reply.reached / reply.runs).toBeGreaterThanOrEqual(0.5);
    expect(mbusStats.decoded).toBeGreaterThan(0);
  });
});
