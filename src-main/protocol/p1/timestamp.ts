/**
 * P1 timestamps are local wall-clock time: YYMMDDhhmmss plus S (summer) or W (winter) in DSMR 4+,
 * twelve digits without the flag in DSMR 2.2/3.
 */
export interface P1Timestamp {
  raw: string;
  /** null when the digits are not a real date (meters send placeholders such as 632525252525S). */
  epochMs: number | null;
  /** The meter's daylight-saving flag; null when it sent none (then the EU calendar decides). */
  dst: 'S' | 'W' | null;
}

export interface P1TimeZone {
  /** Offset of standard (winter) time from UTC: 60 for NL/BE/LU/AT/HU, 0 for Ireland. */
  standardOffsetMinutes: number;
}

export const CET: P1TimeZone = { standardOffsetMinutes: 60 };

const HOUR = 3_600_000;
const SHAPE = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})([SW]?)$/;

/** true when the text has the timestamp shape (valid date or not). */
export function looksLikeP1Timestamp(text: string): boolean {
  return SHAPE.test(text);
}

/**
 * The flag decides the offset (S = standard + 1 h), as the companion standard defines it; without a
 * flag the EU switch rule does, taking summer time for the repeated autumn hour.
 * Returns null when the text does not have the timestamp shape at all.
 */
export function parseP1Timestamp(raw: string, zone: P1TimeZone = CET): P1Timestamp | null {
  const m = SHAPE.exec(raw);
  if (!m) return null;
  const [yy, mo, dd, hh, mi, ss] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const flag = m[7] === 'S' || m[7] === 'W' ? m[7] : null;
  // Two-digit years pivot like POSIX %y, so the "empty channel" placeholder 700101… is the Unix epoch.
  const year = yy >= 69 ? 1900 + yy : 2000 + yy;
  const wall = Date.UTC(year, mo - 1, dd, hh, mi, ss);
  const d = new Date(wall);
  const real =
    d.getUTCFullYear() === year &&
    d.getUTCMonth() === mo - 1 &&
    d.getUTCDate() === dd &&
    d.getUTCHours() === hh &&
    d.getUTCMinutes() === mi &&
    d.getUTCSeconds() === ss;
  if (!real) return { raw, epochMs: null, dst: flag };
  const standard = wall - zone.standardOffsetMinutes * 60_000;
  if (flag === 'S') return { raw, epochMs: standard - HOUR, dst: flag };
  if (flag === 'W') return { raw, epochMs: standard, dst: flag };
  const summer = standard - HOUR;
  return { raw, epochMs: isEuSummerTime(summer) ? summer : standard, dst: null };
}

/** Formats an instant the way a meter in `zone` prints it, with or without the S/W flag. */
export function formatP1Timestamp(epochMs: number, withFlag: boolean, zone: P1TimeZone = CET): string {
  const summer = isEuSummerTime(epochMs);
  const local = new Date(epochMs + zone.standardOffsetMinutes * 60_000 + (summer ? HOUR : 0));
  const two = (n: number): string => String(n).padStart(2, '0');
  const text =
    two(local.getUTCFullYear() % 100) +
    two(local.getUTCMonth() + 1) +
    two(local.getUTCDate()) +
    two(local.getUTCHours()) +
    two(local.getUTCMinutes()) +
    two(local.getUTCSeconds());
  return withFlag ? text + (summer ? 'S' : 'W') : text;
}

/** EU rule since 1996: summer time from the last Sunday of March to the last Sunday of October, 01:00 UTC. */
export function isEuSummerTime(epochMs: number): boolean {
  const year = new Date(epochMs).getUTCFullYear();
  return epochMs >= lastSundayAt1Utc(year, 2) && epochMs < lastSundayAt1Utc(year, 9);
}

function lastSundayAt1Utc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  const sunday = lastDay.getUTCDate() - lastDay.getUTCDay();
  return Date.UTC(year, month, sunday, 1);
}
