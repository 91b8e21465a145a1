import { looksLikeP1Timestamp, parseP1Timestamp, type P1TimeZone } from './timestamp.js';
import type { ObisCode, P1Number, P1Scalar } from './types.js';

const LINE = /^(\d{1,3})-(\d{1,3}):(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\*(\d{1,3}))?((?:\([^()]*\))*)$/;
const GROUP = /\(([^()]*)\)/g;
const CONTINUATION = /^(?:\([^()]*\))+$/;
const NUMBER = /^[-+]?\d+(?:\.\d+)?$/;
const UNIT = /^[A-Za-z][A-Za-z0-9%/]*$/;

export interface ObisLine {
  code: ObisCode;
  groups: string[];
}

/** "A-B:C.D.E(g1)(g2)…" → code and raw group texts; null when the line is not of that shape. */
export function lexObisLine(line: string): ObisLine | null {
  const m = LINE.exec(line);
  if (!m) return null;
  const n = (i: number): number => Number(m[i]);
  const code: ObisCode = { a: n(1), b: n(2), c: n(3), d: n(4), e: n(5), f: m[6] === undefined ? null : n(6) };
  return { code, groups: lexGroups(m[7] ?? '') };
}

/** The DSMR 2.2/3 gas value sits alone on the next line: "(00001.001)". */
export function lexContinuation(line: string): string[] | null {
  return CONTINUATION.test(line) ? lexGroups(line) : null;
}

function lexGroups(text: string): string[] {
  return Array.from(text.matchAll(GROUP), (g) => g[1] ?? '');
}

export function formatObis(code: ObisCode): string {
  const base = `${code.a}-${code.b}:${code.c}.${code.d}.${code.e}`;
  return code.f === null ? base : `${base}*${code.f}`;
}

/** "001581.123*kWh" → number with unit; "0002" → number without; null when not numeric. */
export function parseNumber(text: string): P1Number | null {
  const star = text.lastIndexOf('*');
  const raw = star < 0 ? text : text.slice(0, star);
  const unit = star < 0 ? null : text.slice(star + 1);
  if (!NUMBER.test(raw)) return null;
  if (unit !== null && !UNIT.test(unit)) return null;
  return { raw, value: Number(raw), unit };
}

export function isUnitText(text: string): boolean {
  return UNIT.test(text);
}

/** Identifiers and messages are hex-encoded ASCII; anything that does not decode to printable text stays raw. */
export function decodeHexText(raw: string): string | null {
  if (raw.length === 0 || raw.length % 2 !== 0 || !/^[0-9A-Fa-f]+$/.test(raw)) return null;
  const text = Buffer.from(raw, 'hex').toString('latin1');
  return /^[\x20-\x7e\t\r\n]*$/.test(text) ? text : null;
}

/** Classifies a group by its text alone, for objects whose layout we do not know. */
export function classifyGroup(text: string, zone: P1TimeZone): P1Scalar {
  if (text === '') return { kind: 'empty' };
  // Only flagged timestamps are recognised blind: twelve bare digits are as likely an id or a number.
  if (looksLikeP1Timestamp(text) && /[SW]$/.test(text)) {
    const at = parseP1Timestamp(text, zone);
    if (at) return { kind: 'timestamp', at };
  }
  const num = parseNumber(text);
  if (num) return { kind: 'number', ...num };
  return { kind: 'text', raw: text, text: decodeHexText(text) };
}
