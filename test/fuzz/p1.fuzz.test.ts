import { describe, expect, it } from 'vitest';
import { sharedPath } from '../helpers/shared-dir.js';
import { fuzzReach } from './harness.js';
import { checkP1, mutateP1, p1Corpus, p1Stats } from './structured/p1.js';

const corpus = p1Corpus(sharedPath('corpora', 'p1', 'dsmr_parser'));

describe('fuzzing the P1 telegram parser', () => {
  it('10,000+ telegrams mutated inside valid framing reach the OBIS parser; its oracles hold', () => {
    expect(corpus.length).toBeGreaterThan(5);
    const reply = fuzzReach(corpus, 10_500, mutateP1, checkP1, { seed: 17 });
    expect(reply.failures.slice(0, 3)).toEqual([]);
    expect(reply.failures.length).toBe(0);
    // Inputs that die at the CRC test nothing behind it: most must get through to the OBIS parser.
    expect(reply.reached / reply.runs).toBeGreaterThanOrEqual(0.5);
    expect(p1Stats.roundTrips).toBeGreaterThan(0);
  });
});
