import type { BitReader, BitWriter } from './bits.js';
import { BlockError } from './errors.js';

/**
 * Text and boolean values change rarely (a state, a flag, a firmware string), so both are stored as
 * runs. Text runs name their string once; a string seen before in the block is a back reference.
 */
const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** A lone surrogate cannot go to UTF-8 and back unchanged, so such a string is refused up front. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function runsOf<T>(vs: readonly T[]): { value: T; length: number }[] {
  const runs: { value: T; length: number }[] = [];
  for (const v of vs) {
    const last = runs.at(-1);
    if (last && last.value === v) last.length++;
    else runs.push({ value: v, length: 1 });
  }
  return runs;
}

export function writeTexts(w: BitWriter, vs: readonly string[]): void {
  const runs = runsOf(vs);
  const dict = new Map<string, number>();
  w.varint(runs.length);
  for (const run of runs) {
    w.varint(run.length);
    const ref = dict.get(run.value);
    if (ref !== undefined) {
      w.varint(ref + 1);
      continue;
    }
    if (LONE_SURROGATE.test(run.value))
      throw new BlockError('input', 'text value holds a lone UTF-16 surrogate (not valid Unicode)');
    const bytes = utf8.encode(run.value);
    w.varint(0);
    w.varint(bytes.length);
    w.bytes(bytes);
    dict.set(run.value, dict.size);
  }
}

function readRunLengths(r: BitReader, count: number, each: (length: number) => void): void {
  const n = r.varint();
  if (n < 1 || n > count) throw new BlockError('corrupt', `${n} runs for ${count} samples`, r.position);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const length = r.varint();
    if (length < 1 || total + length > count)
      throw new BlockError('corrupt', `run of ${length} past ${count} samples`, r.position);
    total += length;
    each(length);
  }
  if (total !== count) throw new BlockError('corrupt', `runs cover ${total} of ${count} samples`, r.position);
}

export function readTexts(r: BitReader, count: number): string[] {
  const out: string[] = [];
  const dict: string[] = [];
  readRunLengths(r, count, (length) => {
    const ref = r.varint();
    let value: string;
    if (ref === 0) {
      const bytes = r.bytes(r.varint());
      try {
        value = strictUtf8.decode(bytes);
      } catch {
        throw new BlockError('corrupt', 'text value is not valid UTF-8', r.position);
      }
      dict.push(value);
    } else {
      const known = dict[ref - 1];
      if (known === undefined) throw new BlockError('corrupt', `text reference ${ref} unknown`, r.position);
      value = known;
    }
    for (let i = 0; i < length; i++) out.push(value);
  });
  return out;
}

export function writeBools(w: BitWriter, vs: readonly boolean[]): void {
  const runs = runsOf(vs);
  w.bit(runs[0]?.value ?? false);
  w.varint(runs.length);
  for (const run of runs) w.varint(run.length);
}

export function readBools(r: BitReader, count: number): boolean[] {
  let value = r.bit();
  const out: boolean[] = [];
  readRunLengths(r, count, (length) => {
    for (let i = 0; i < length; i++) out.push(value);
    value = !value;
  });
  return out;
}
