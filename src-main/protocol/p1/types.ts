import type { P1FrameCrc, P1LineEnding } from './framer.js';
import type { P1Timestamp } from './timestamp.js';

/** OBIS reference A-B:C.D.E[*F] (IEC 62056-61). */
export interface ObisCode {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  /** Only EasyMeter-style telegrams send the F group (`*255`). */
  f: number | null;
}

/** A value with its unit as sent ("kWh", "m3", "GJ"); numbers keep their text for exact use. */
export interface P1Number {
  raw: string;
  value: number;
  unit: string | null;
}

export interface P1LogEntry extends P1Number {
  /** When the logged event ended (power-failure log) */
  at: P1Timestamp;
}

export interface P1PeakEntry extends P1Number {
  /** The month the peak belongs to (its first instant). */
  period: P1Timestamp;
  /** When the peak happened. */
  at: P1Timestamp;
}

/** A single group of an object whose layout we do not know, classified by its text alone. */
export type P1Scalar =
  | { kind: 'empty' }
  | ({ kind: 'number' } & P1Number)
  /** `text` is the hex-decoded ASCII when the raw text is hex-encoded printable ASCII. */
  | { kind: 'text'; raw: string; text: string | null }
  | { kind: 'timestamp'; at: P1Timestamp };

export type P1Value =
  | P1Scalar
  /** A value with its own capture time (M-Bus readings, month peak). */
  | ({ kind: 'reading'; at: P1Timestamp } & P1Number)
  /** A buffer of (timestamp, value) pairs, e.g. the power-failure log; `of` names the logged object. */
  | { kind: 'log'; of: string; entries: P1LogEntry[] }
  /** Belgian 13-month peak history. */
  | { kind: 'peaks'; of: string; entries: P1PeakEntry[] }
  | { kind: 'groups'; groups: P1Scalar[] };

export interface P1Object {
  /** Printed as "0-1:24.2.1" (with "*255" when the meter sends the F group). */
  obis: string;
  code: ObisCode;
  /** 1-based line of the telegram where the object starts. */
  line: number;
  /** Source text; the DSMR 2.2/3 gas reading spans two lines, joined by the telegram's line end. */
  text: string;
  value: P1Value;
  /** Set when the object did not have the layout its code defines; value is then 'groups'. */
  issue?: string;
}

export interface P1Issue {
  line: number;
  text: string;
  problem: string;
}

export interface P1Id {
  obis: string;
  raw: string;
  /** Hex-decoded when the id is hex-encoded ASCII (the usual case), else null. */
  text: string | null;
}

export interface P1Version {
  /** The object it came from ("1-3:0.2.8", "0-0:96.1.4"), null when inferred. */
  obis: string | null;
  raw: string | null;
  /** "5.0", "4.2", "2.2/3.0" (no CRC, no version object), "4+" (CRC but no version object), or null. */
  dsmr: string | null;
  label: string;
}

export interface P1MbusReading extends P1Number {
  obis: string;
  /** Capture time: use it rather than the telegram time, the device reports on its own schedule. */
  at: P1Timestamp;
}

export interface P1MbusDevice {
  channel: number;
  /** EN 13757-3 medium: 3 gas, 4 heat, 7 water… */
  deviceType: number | null;
  equipmentId: P1Id | null;
  reading: P1MbusReading | null;
}

export interface P1Header {
  /** The identification line without "/" and line end, e.g. "ISk5\2MT382-1000". */
  raw: string;
  /** The three-letter manufacturer code ("ISk", "KFM", "FLU"). */
  manufacturer: string;
  /** Text after the manufacturer and the baud-rate character. */
  identification: string;
}

export interface P1Telegram {
  header: P1Header;
  version: P1Version;
  /** 0-0:1.0.0; DSMR 2.2/3 telegrams have none. */
  timestamp: P1Timestamp | null;
  equipmentId: P1Id | null;
  /** null: the telegram carries no CRC (DSMR 2.2/3); when present it has been checked and matched. */
  crc: P1FrameCrc | null;
  lineEnding: P1LineEnding;
  objects: P1Object[];
  mbus: P1MbusDevice[];
  /** Lines that are not objects; the rest of the telegram is still usable. */
  issues: P1Issue[];
}

export type P1ParseErrorReason = 'no_header' | 'no_end';

export interface P1ParseError {
  reason: P1ParseErrorReason;
  detail: string;
}

export type P1ParseResult = { ok: true; telegram: P1Telegram } | { ok: false; error: P1ParseError };
