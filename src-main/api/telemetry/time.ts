import { NS_PER_MS, NS_PER_S } from './duration.js';

export class TimeError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'TimeError';
  }
}

/** 0000-01-01T00:00:00Z … 9999-12-31T23:59:59Z in Unix seconds. */
const MIN_S = -62_167_219_200;
const MAX_S = 253_402_300_799;
const RFC3339 =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?([Zz]|[+-][0-9]{2}:[0-9]{2})?$/;

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const leap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (y: number, m: number): number => (m === 2 && leap(y) ? 29 : (DAYS[m - 1] ?? 0));

function fromNumberSeconds(x: number, field: string): bigint {
  if (!Number.isFinite(x) || x < MIN_S || x > MAX_S) throw new TimeError(field, 'Unix time out of range');
  const whole = Math.trunc(x);
  return BigInt(whole) * NS_PER_S + BigInt(Math.round((x - whole) * 1e9));
}

function fromRfc3339(text: string, field: string): bigint {
  const m = RFC3339.exec(text);
  if (!m) throw new TimeError(field, `"${text.slice(0, 40)}" is neither Unix seconds nor an RFC 3339 time`);
  const [, y, mo, d, h, mi, s, frac = '', off = 'Z'] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysIn(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    throw new TimeError(field, `"${text}" is not a valid date and time`);
  let offsetS = 0;
  if (off !== 'Z' && off !== 'z') {
    const oh = Number(off.slice(1, 3));
    const om = Number(off.slice(4, 6));
    if (oh > 23 || om > 59) throw new TimeError(field, `"${off}" is not a valid UTC offset`);
    offsetS = (off[0] === '-' ? -1 : 1) * (oh * 3600 + om * 60);
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // setUTCFullYear keeps years 0-99 as written
  date.setUTCHours(hour, minute, second, 0);
  const seconds = date.getTime() / 1000 - offsetS;
  return BigInt(seconds) * NS_PER_S + BigInt(frac.padEnd(9, '0') || '0');
}

/**
 * A `from`/`to` value as Unix nanoseconds: a number of Unix seconds (fractions allowed), a string of
 * decimal Unix seconds, or an RFC 3339 time with up to 9 fractional digits (no offset = UTC).
 */
export function parseTime(value: number | string, field: string): bigint {
  if (typeof value === 'number') return fromNumberSeconds(value, field);
  if (/^-?[0-9]{1,12}(\.[0-9]{1,9})?$/.test(value)) return fromNumberSeconds(Number(value), field);
  return fromRfc3339(value, field);
}

/** The first whole millisecond at or after an instant (so `t >= result` ⇔ `t >= instant` for integer ms t). */
export function ceilMs(ns: bigint): number {
  const q = ns / NS_PER_MS;
  return Number(ns % NS_PER_MS > 0n ? q + 1n : q);
}
