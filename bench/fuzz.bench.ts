import { join, resolve } from 'node:path';
import { fuzzReach, mutate, type ReachResult } from '../test/fuzz/harness.js';
import { rtuFrame } from '../test/fuzz/structured/framing.js';
import { checkMbus, mbusCorpus, mutateMbus } from '../test/fuzz/structured/mbus.js';
import { checkRtu, mutateRtu, pdus } from '../test/fuzz/structured/modbus-rtu.js';
import { checkP1, mutateP1, p1Corpus } from '../test/fuzz/structured/p1.js';
import { result, round, type Bench, type BenchResult } from './lib.js';

const SHARED = resolve(import.meta.dirname, '../../shared/corpora');

/**
 * How many fuzzed inputs reach the application-layer decoder (Modbus PDU, M-Bus records, P1 OBIS
 * lines): structure-aware mutation against plain byte mutation of the same framed corpus, same check.
 */
export const fuzzReachBench: Bench = async (ctx) => {
  const n = ctx.quick ? 2000 : 10_000;
  const plain = (base: Buffer, r: () => number): Buffer => mutate(base, r);
  const cases: {
    name: string;
    corpus: Buffer[];
    framed: Buffer[];
    make: (b: Buffer, r: () => number) => Buffer;
    check: (i: Buffer) => boolean;
  }[] = [
    {
      name: 'modbus_rtu',
      corpus: pdus,
      framed: pdus.map((p, i) => rtuFrame(i + 1, p)),
      make: mutateRtu,
      check: checkRtu,
    },
  ];
  const mbus = mbusCorpus(join(SHARED, 'mbus/libmbus/test-frames'));
  cases.push({ name: 'mbus', corpus: mbus, framed: mbus, make: mutateMbus, check: checkMbus });
  const p1 = p1Corpus(join(SHARED, 'p1/dsmr_parser'));
  cases.push({ name: 'p1', corpus: p1, framed: p1, make: mutateP1, check: checkP1 });
  const out: BenchResult[] = [];
  for (const c of cases) {
    const structured: ReachResult = fuzzReach(c.corpus, n, c.make, c.check, { seed: 101 });
    const bytes: ReachResult = fuzzReach(c.framed, n, plain, c.check, { seed: 101 });
    const share = (x: ReachResult): number => round((100 * x.reached) / x.runs, 1);
    if (structured.failures.length) throw new Error(`${c.name}: ${structured.failures[0]!.error}`);
    ctx.log(`fuzz ${c.name}: ${share(structured)} % reach the decoder (plain mutation ${share(bytes)} %)`);
    out.push(
      result(
        `fuzz.reach_${c.name}`,
        '%',
        [share(structured)],
        'plain byte mutation of the same framed corpus',
        [share(bytes)],
        `${structured.reached} of ${structured.runs} inputs (1 run); goal ≥ 50 %; max CPU per input ${structured.maxCpuMs.toFixed(1)} ms`,
      ),
    );
  }
  return out;
};
