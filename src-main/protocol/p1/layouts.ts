import { classifyGroup, decodeHexText, isUnitText, parseNumber } from './obis.js';
import { parseP1Timestamp, type P1TimeZone } from './timestamp.js';
import type { ObisCode, P1LogEntry, P1PeakEntry, P1Value } from './types.js';

/** A layout turns the raw groups into a value, or says (as a string) why they do not fit. */
type Layout = (groups: string[], zone: P1TimeZone) => P1Value | string;

const text: Layout = (groups) => {
  if (groups.length !== 1) return `expected one text group, got ${groups.length}`;
  const raw = groups[0] ?? '';
  return raw === '' ? { kind: 'empty' } : { kind: 'text', raw, text: decodeHexText(raw) };
};

/** Versions and numeric ids: text that must not be read as hex (version "50" is not "P"). */
const plain: Layout = (groups) => {
  if (groups.length !== 1) return `expected one text group, got ${groups.length}`;
  const raw = groups[0] ?? '';
  return raw === '' ? { kind: 'empty' } : { kind: 'text', raw, text: null };
};

const timestamp: Layout = (groups, zone) => {
  if (groups.length !== 1) return `expected one timestamp group, got ${groups.length}`;
  const raw = groups[0] ?? '';
  if (raw === '') return { kind: 'empty' };
  const at = parseP1Timestamp(raw, zone);
  return at ? { kind: 'timestamp', at } : `"${raw}" is not a timestamp`;
};

/** (timestamp)(value*unit): M-Bus readings and the Belgian month peak. */
const reading: Layout = (groups, zone) => {
  if (groups.length !== 2) return `expected (timestamp)(value), got ${groups.length} groups`;
  const at = parseP1Timestamp(groups[0] ?? '', zone);
  const num = parseNumber(groups[1] ?? '');
  if (!at) return `"${groups[0]}" is not a timestamp`;
  if (!num) return `"${groups[1]}" is not a number`;
  return { kind: 'reading', at, ...num };
};

/** DSMR 2.2/3 gas: (ts)(00)(60)(1)(0-n:24.2.1)(m3) and, on the next line, (value). */
const legacyReading: Layout = (groups, zone) => {
  const at = parseP1Timestamp(groups[0] ?? '', zone);
  const unitText = groups[groups.length - 2] ?? '';
  const num = parseNumber(groups[groups.length - 1] ?? '');
  if (groups.length < 3 || !at || !num) return 'expected (timestamp)…(unit) followed by (value)';
  return { kind: 'reading', at, ...num, unit: num.unit ?? (isUnitText(unitText) ? unitText : null) };
};

/** (count)(logged object)(timestamp)(value*unit)…: the power-failure event log. */
const log: Layout = (groups, zone) => {
  const count = Number(groups[0]);
  const of = groups[1] ?? '';
  if (!/^\d+$/.test(groups[0] ?? '') || groups.length !== 2 + 2 * count) {
    return `expected (count)(object) and count pairs, got ${groups.length} groups`;
  }
  const entries: P1LogEntry[] = [];
  for (let i = 0; i < count; i++) {
    const at = parseP1Timestamp(groups[2 + 2 * i] ?? '', zone);
    const num = parseNumber(groups[3 + 2 * i] ?? '');
    if (!at || !num) return `entry ${i + 1} is not (timestamp)(value)`;
    entries.push({ at, ...num });
  }
  return { kind: 'log', of, entries };
};

/**
 * Belgian 13-month peaks: (count)(obis)(obis) then (month)(when)(value*unit) per month. E.ON Hungary
 * uses the same code for a billing snapshot of another shape; that one is kept as plain groups.
 */
const peaks: Layout = (groups, zone) => {
  const count = Number(groups[0]);
  if (!/^\d+$/.test(groups[0] ?? '') || groups.length !== 3 + 3 * count) {
    return { kind: 'groups', groups: groups.map((g) => classifyGroup(g, zone)) };
  }
  const entries: P1PeakEntry[] = [];
  for (let i = 0; i < count; i++) {
    const period = parseP1Timestamp(groups[3 + 3 * i] ?? '', zone);
    const at = parseP1Timestamp(groups[4 + 3 * i] ?? '', zone);
    const num = parseNumber(groups[5 + 3 * i] ?? '');
    if (!period || !at || !num) return `month ${i + 1} is not (timestamp)(timestamp)(value)`;
    entries.push({ period, at, ...num });
  }
  return { kind: 'peaks', of: groups[1] ?? '', entries };
};

/** Codes with a known layout; any other object is read group by group from its text. */
const LAYOUTS = new Map<string, Layout>([
  ['1-3:0.2.8', plain],
  ['0-0:96.1.4', plain],
  ['0-0:96.1.0', text],
  ['0-0:96.1.1', text],
  ['0-0:96.1.255', text],
  ['0-0:42.0.0', text],
  ['1-0:0.0.0', plain],
  ['0-0:96.13.0', text],
  ['0-0:96.13.1', text],
  ['0-0:1.0.0', timestamp],
  ['1-0:1.6.0', reading],
  ['1-0:2.6.0', reading],
  ['1-0:99.97.0', log],
  ['0-0:98.1.0', peaks],
  ['0-n:96.1.0', text],
  ['0-n:96.1.1', text],
  ['0-n:24.2.1', reading],
  ['0-n:24.2.3', reading],
  ['0-n:24.3.0', legacyReading],
]);

function layoutKey(code: ObisCode): string {
  const channel = code.a === 0 && code.b > 0 ? 'n' : String(code.b);
  return `${code.a}-${channel}:${code.c}.${code.d}.${code.e}`;
}

/** Decodes an object's groups by the layout its code defines, or by their text when unknown. */
export function decodeValue(
  code: ObisCode,
  groups: string[],
  zone: P1TimeZone,
): { value: P1Value; issue?: string } {
  const layout = LAYOUTS.get(layoutKey(code));
  const blind = (): P1Value => {
    const scalars = groups.map((g) => classifyGroup(g, zone));
    const [first, second] = scalars;
    if (!first) return { kind: 'empty' };
    if (!second) return first;
    if (scalars.length === 2 && first?.kind === 'timestamp' && second?.kind === 'number') {
      const { kind: _kind, ...num } = second;
      return { kind: 'reading', at: first.at, ...num };
    }
    return { kind: 'groups', groups: scalars };
  };
  if (!layout) return { value: blind() };
  const value = layout(groups, zone);
  if (typeof value === 'string') {
    return { value: { kind: 'groups', groups: groups.map((g) => classifyGroup(g, zone)) }, issue: value };
  }
  return { value };
}
