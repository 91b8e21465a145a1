/**
 * Decoders for the EN 13757-3 data types. Every function gets exactly the bytes of one data field in
 * least-significant-byte-first order (CI 0x76/0x77 callers reverse them first) and cannot fail.
 */

export interface MbusDateTime {
  year: number;
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
  /** Type F/I summer-time flag. */
  summerTime?: boolean;
  /** False when the meter flags the value invalid or a field is out of range. */
  valid: boolean;
  /** Local wall-clock time as the meter sent it: `YYYY-MM-DD` or `YYYY-MM-DDThh:mm[:ss]`. */
  text: string;
}

export type MbusData =
  | { type: 'none' }
  /** Type B signed (or C unsigned for identifiers); `exact` keeps all digits of 64-bit values. */
  | { type: 'integer'; value: number; exact: string }
  /** Type A; `digits` most significant first as sent (A–F kept), `value` null if a digit is not decimal. */
  | { type: 'bcd'; value: number | null; digits: string }
  | { type: 'real'; value: number }
  | ({ type: 'date' } & MbusDateTime)
  | ({ type: 'date-time' } & MbusDateTime)
  | { type: 'time'; hour: number; minute: number; second: number; valid: boolean; text: string }
  | { type: 'text'; text: string }
  /** Binary blob, most significant byte first (the order integers are read in). */
  | { type: 'binary'; hex: string };

export function hex(bytes: Uint8Array, sep = ' '): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(sep);
}

export function decodeInteger(bytes: Uint8Array, signed: boolean): MbusData {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i] ?? 0);
  const bits = BigInt(bytes.length * 8);
  if (signed && bytes.length > 0 && ((bytes[bytes.length - 1] ?? 0) & 0x80) !== 0) v -= 1n << bits;
  return { type: 'integer', value: Number(v), exact: v.toString() };
}

/**
 * BCD, low nibble = lower digit. A high nibble 0xF in the most significant byte marks a negative
 * number (used by many meters); any other nibble above 9 makes the value undefined — meters send
 * such patterns as error markers, and inventing a number from them would mislead.
 */
export function decodeBcd(bytes: Uint8Array): MbusData {
  let digits = '';
  for (let i = bytes.length - 1; i >= 0; i--)
    digits += (bytes[i] ?? 0).toString(16).padStart(2, '0').toUpperCase();
  const negative = digits.startsWith('F') && /^[0-9]+$/.test(digits.slice(1));
  if (negative) return { type: 'bcd', value: -Number(digits.slice(1)), digits };
  if (!/^[0-9]+$/.test(digits)) return { type: 'bcd', value: null, digits };
  return { type: 'bcd', value: Number(digits), digits };
}

export function decodeReal(bytes: Uint8Array): MbusData {
  return { type: 'real', value: Buffer.from(bytes).readFloatLE(0) };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Two-digit years: 00–80 are 2000–2080 (compatibility rule for meters that never set the century bits). */
function fullYear(year: number, hundredYear: number): number {
  if (hundredYear === 0 && year <= 80) return 2000 + year;
  return 1900 + 100 * hundredYear + year;
}

function dateOk(month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** Type G: 2-byte date. */
export function decodeDateG(b: Uint8Array): MbusData {
  const b0 = b[0] ?? 0;
  const b1 = b[1] ?? 0;
  const day = b0 & 0x1f;
  const month = b1 & 0x0f;
  const year = fullYear(((b0 & 0xe0) >> 5) | ((b1 & 0xf0) >> 1), 0);
  return {
    type: 'date',
    year,
    month,
    day,
    valid: dateOk(month, day),
    text: `${year}-${pad(month)}-${pad(day)}`,
  };
}

/** Type F: 4-byte date and time to the minute; bit 7 of the minute byte flags an invalid value. */
export function decodeDateTimeF(b: Uint8Array): MbusData {
  const [b0 = 0, b1 = 0, b2 = 0, b3 = 0] = b;
  const minute = b0 & 0x3f;
  const hour = b1 & 0x1f;
  const day = b2 & 0x1f;
  const month = b3 & 0x0f;
  const year = fullYear(((b2 & 0xe0) >> 5) | ((b3 & 0xf0) >> 1), (b1 & 0x60) >> 5);
  const valid = (b0 & 0x80) === 0 && dateOk(month, day) && hour < 24 && minute < 60;
  return {
    type: 'date-time',
    year,
    month,
    day,
    hour,
    minute,
    summerTime: (b1 & 0x80) !== 0,
    valid,
    text: `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}`,
  };
}

/** Type I: 6-byte date and time to the second (byte 1 bit 7 flags an invalid value). */
export function decodeDateTimeI(b: Uint8Array): MbusData {
  const [b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0] = b;
  const second = b0 & 0x3f;
  const minute = b1 & 0x3f;
  const hour = b2 & 0x1f;
  const day = b3 & 0x1f;
  const month = b4 & 0x0f;
  const year = fullYear(((b3 & 0xe0) >> 5) | ((b4 & 0xf0) >> 1), 0);
  const valid = (b1 & 0x80) === 0 && dateOk(month, day) && hour < 24 && minute < 60 && second < 60;
  return {
    type: 'date-time',
    year,
    month,
    day,
    hour,
    minute,
    second,
    summerTime: (b0 & 0x40) !== 0,
    valid,
    text: `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}`,
  };
}

/** Type J: 3-byte time of day. */
export function decodeTimeJ(b: Uint8Array): MbusData {
  const [b0 = 0, b1 = 0, b2 = 0] = b;
  const second = b0 & 0x3f;
  const minute = b1 & 0x3f;
  const hour = b2 & 0x1f;
  return {
    type: 'time',
    hour,
    minute,
    second,
    valid: hour < 24 && minute < 60 && second < 60,
    text: `${pad(hour)}:${pad(minute)}:${pad(second)}`,
  };
}

/**
 * LVAR 0x00–0xBF: ISO-8859-1 text sent last character first. Meters also put keys and other binary
 * blobs there; text with control characters is returned as binary so it stays readable (and exact).
 */
export function decodeText(bytes: Uint8Array): MbusData {
  const text = Buffer.from(bytes).reverse().toString('latin1');
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f-\x9f]/.test(text)) return decodeBinary(bytes);
  return { type: 'text', text };
}

export function decodeBinary(bytes: Uint8Array): MbusData {
  return { type: 'binary', hex: hex(Uint8Array.from(bytes).reverse()) };
}

/** What follows an LVAR byte: how many data bytes and how to read them (undefined: reserved code). */
export function lvarLayout(
  lvar: number,
): { length: number; kind: 'text' | 'bcd' | 'negative-bcd' | 'binary' } | undefined {
  if (lvar <= 0xbf) return { length: lvar, kind: 'text' };
  if (lvar >= 0xc0 && lvar <= 0xc9) return { length: lvar - 0xc0, kind: 'bcd' };
  if (lvar >= 0xd0 && lvar <= 0xd9) return { length: lvar - 0xd0, kind: 'negative-bcd' };
  if (lvar >= 0xe0 && lvar <= 0xef) return { length: lvar - 0xe0, kind: 'binary' };
  if (lvar >= 0xf0 && lvar <= 0xf4) return { length: 4 * (lvar - 0xec), kind: 'binary' };
  if (lvar === 0xf5) return { length: 48, kind: 'binary' };
  if (lvar === 0xf6) return { length: 64, kind: 'binary' };
  return undefined;
}
