import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED, sharedPath } from '../../helpers/shared-dir.js';

/** The shared corpora sit beside the repository clone (here /work/shared next to /work/main). */
export const P1_CORPUS = join(SHARED, 'corpora', 'p1');

/** A corpus folder; a missing one fails naming its path. */
export function corpusDir(sub: 'dsmr_parser' | 'corrupted'): string {
  return sharedPath('corpora', 'p1', sub);
}

export function corpusNames(sub: 'dsmr_parser' | 'corrupted'): string[] {
  return readdirSync(corpusDir(sub))
    .filter((f) => f.endsWith('.txt'))
    .map((f) => f.slice(0, -4))
    .sort();
}

export function corpusBytes(sub: 'dsmr_parser' | 'corrupted', name: string): Buffer {
  return readFileSync(join(corpusDir(sub), `${name}.txt`));
}

/**
 * The expectation files hold integers beyond 2^53 (dsmr_parser reads 0-0:96.13.1 as an int), which
 * JSON.parse would round; such literals are turned into strings tagged with BIG_INT before parsing.
 */
export const BIG_INT = 'bigint:';

export function corpusExpectation(sub: 'dsmr_parser' | 'corrupted', name: string): unknown {
  const text = readFileSync(join(corpusDir(sub), `${name}.json`), 'utf8');
  return JSON.parse(text.replace(/(:\s*)(-?\d{16,})(?=\s*[,}\]])/g, `$1"${BIG_INT}$2"`));
}
