import type { P1Object, P1Value } from '../../../src-main/protocol/p1/types.js';
import { BIG_INT } from './corpus.js';

/** One OBIS entry of a corpus expectation file (see shared/corpora/p1/SOURCE.md, "File format"). */
export interface ExpectedObject {
  line: string;
  value?: unknown;
  value_type?: string;
  unit?: string | null;
  timestamp_utc?: string | null;
  buffer_length?: number;
  buffer_type?: string;
  entries?: ExpectedEntry[];
}

export interface ExpectedEntry {
  index: number;
  value: unknown;
  value_type: string;
  unit: string | null;
  timestamp_utc: string | null;
  occurred_utc?: string | null;
}

export interface Mismatch {
  path: string;
  expected: unknown;
  actual: unknown;
}

/** What a decoded object offers for comparison, whatever its kind. */
interface Flat {
  kind: P1Value['kind'];
  raw: string | null;
  unit: string | null;
  epochMs: number | null | undefined;
}

function flat(v: P1Value): Flat {
  switch (v.kind) {
    case 'number':
      return { kind: v.kind, raw: v.raw, unit: v.unit, epochMs: undefined };
    case 'reading':
      return { kind: v.kind, raw: v.raw, unit: v.unit, epochMs: v.at.epochMs };
    case 'text':
      return { kind: v.kind, raw: v.raw, unit: null, epochMs: undefined };
    case 'timestamp':
      return { kind: v.kind, raw: v.at.raw, unit: null, epochMs: v.at.epochMs };
    default:
      return { kind: v.kind, raw: null, unit: null, epochMs: undefined };
  }
}

/** Decimal texts compared exactly: "000000.000" equals "0", "0.070" equals "0.07". */
export function sameDecimal(a: string, b: string): boolean {
  const norm = (s: string): string | null => {
    const m = /^([-+]?)(\d*)(?:\.(\d*))?$/.exec(s);
    if (!m) return null;
    const int = (m[2] ?? '').replace(/^0+/, '');
    const frac = (m[3] ?? '').replace(/0+$/, '');
    const digits = `${int || '0'}${frac ? `.${frac}` : ''}`;
    return digits === '0' ? '0' : `${m[1] === '-' ? '-' : ''}${digits}`;
  };
  const x = norm(a);
  return x !== null && x === norm(b);
}

export function iso(epochMs: number | null | undefined): string | null | undefined {
  return epochMs === null || epochMs === undefined ? epochMs : new Date(epochMs).toISOString();
}

function isoOf(text: string | null): string | null {
  return text === null ? null : new Date(text).toISOString();
}

/** Compares a raw value against an expectation typed the dsmr_parser way. */
function valueMatches(f: Flat, type: string, expected: unknown): boolean {
  switch (type) {
    case 'null':
      return f.kind === 'empty';
    case 'string':
      return f.raw === expected;
    case 'int': {
      const exp =
        typeof expected === 'string' && expected.startsWith(BIG_INT)
          ? expected.slice(BIG_INT.length)
          : expected;
      return f.raw !== null && /^\d+$/.test(f.raw) && BigInt(f.raw) === BigInt(exp as number | string);
    }
    case 'decimal':
      return f.raw !== null && typeof expected === 'string' && sameDecimal(f.raw, expected);
    case 'json-number':
      return f.raw !== null && Number(f.raw) === expected;
    case 'datetime':
      return typeof expected === 'string' && f.epochMs === Date.parse(expected);
    default:
      throw new Error(`unknown value_type ${type} in the corpus`);
  }
}

/** Every field the expectation lists, compared; returns what differs and how many fields were checked. */
export function compareObject(
  obis: string,
  obj: P1Object,
  exp: ExpectedObject,
): { mismatches: Mismatch[]; fields: number } {
  const mismatches: Mismatch[] = [];
  let fields = 0;
  const check = (path: string, ok: boolean, expected: unknown, actual: unknown): void => {
    fields++;
    if (!ok) mismatches.push({ path: `${obis}/${path}`, expected, actual });
  };
  const f = flat(obj.value);
  if (exp.value_type !== undefined) {
    check('value', valueMatches(f, exp.value_type, exp.value), exp.value, f.kind === 'empty' ? null : f.raw);
  }
  if (exp.unit !== undefined) check('unit', f.unit === exp.unit, exp.unit, f.unit);
  if (exp.timestamp_utc !== undefined) {
    const want = isoOf(exp.timestamp_utc);
    check('timestamp_utc', iso(f.epochMs) === want, want, iso(f.epochMs));
  }
  const v = obj.value;
  if (exp.buffer_length !== undefined || exp.buffer_type !== undefined || exp.entries !== undefined) {
    if (v.kind !== 'log' && v.kind !== 'peaks') {
      check('kind', false, 'log or peaks', v.kind);
      return { mismatches, fields };
    }
    if (exp.buffer_length !== undefined)
      check('buffer_length', v.entries.length === exp.buffer_length, exp.buffer_length, v.entries.length);
    if (exp.buffer_type !== undefined) check('buffer_type', v.of === exp.buffer_type, exp.buffer_type, v.of);
    const entries = exp.entries ?? [];
    if (exp.entries)
      check('entries.length', v.entries.length === entries.length, entries.length, v.entries.length);
    for (const e of entries) {
      const got = v.entries[e.index];
      const p = `entries/${e.index}`;
      if (!got) {
        check(p, false, e, undefined);
        continue;
      }
      const gf: Flat = { kind: 'number', raw: got.raw, unit: got.unit, epochMs: undefined };
      check(`${p}/value`, valueMatches(gf, e.value_type, e.value), e.value, got.raw);
      check(`${p}/unit`, got.unit === e.unit, e.unit, got.unit);
      // In the failure log the timestamp is the event end; in the peak history it is the month.
      const stamp = 'period' in got ? got.period : got.at;
      check(
        `${p}/timestamp_utc`,
        iso(stamp.epochMs) === isoOf(e.timestamp_utc),
        isoOf(e.timestamp_utc),
        iso(stamp.epochMs),
      );
      if (e.occurred_utc !== undefined) {
        check(
          `${p}/occurred_utc`,
          iso(got.at.epochMs) === isoOf(e.occurred_utc),
          isoOf(e.occurred_utc),
          iso(got.at.epochMs),
        );
      }
    }
  }
  return { mismatches, fields };
}
