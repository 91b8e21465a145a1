import { describe, expect, it } from 'vitest';
import {
  formatP1Timestamp,
  isEuSummerTime,
  parseP1Timestamp,
} from '../../../src-main/protocol/p1/timestamp.js';

const iso = (raw: string, zone?: { standardOffsetMinutes: number }): string | null => {
  const ts = parseP1Timestamp(raw, zone);
  return ts?.epochMs == null ? null : new Date(ts.epochMs).toISOString();
};

describe('P1 timestamps', () => {
  it('applies the flag: W = UTC+1, S = UTC+2 (CET)', () => {
    expect(iso('170102192002W')).toBe('2017-01-02T18:20:02.000Z');
    expect(iso('200512135409S')).toBe('2020-05-12T11:54:09.000Z');
    expect(parseP1Timestamp('200512135409S')).toMatchObject({ raw: '200512135409S', dst: 'S' });
  });

  it('keeps both instances of the repeated autumn hour apart by the flag', () => {
    expect(iso('231029023000S')).toBe('2023-10-29T00:30:00.000Z');
    expect(iso('231029023000W')).toBe('2023-10-29T01:30:00.000Z');
  });

  it('uses the EU calendar when the meter sends no flag (DSMR 2.2/3)', () => {
    expect(iso('161107190000')).toBe('2016-11-07T18:00:00.000Z');
    expect(iso('160707190000')).toBe('2016-07-07T17:00:00.000Z');
    expect(iso('240331030000')).toBe('2024-03-31T01:00:00.000Z');
    expect(iso('240331015959')).toBe('2024-03-31T00:59:59.000Z');
    expect(parseP1Timestamp('161107190000')?.dst).toBeNull();
  });

  it('takes another standard offset (Ireland: GMT/IST)', () => {
    expect(iso('230202132747W', { standardOffsetMinutes: 0 })).toBe('2023-02-02T13:27:47.000Z');
    expect(iso('230702132747S', { standardOffsetMinutes: 0 })).toBe('2023-07-02T12:27:47.000Z');
  });

  it('marks impossible dates invalid but keeps the text, and rejects what is not a timestamp', () => {
    expect(parseP1Timestamp('632525252525S')).toEqual({ raw: '632525252525S', epochMs: null, dst: 'S' });
    expect(parseP1Timestamp('230230120000W')?.epochMs).toBeNull();
    expect(parseP1Timestamp('231301000000W')?.epochMs).toBeNull();
    expect(parseP1Timestamp('231001240000W')?.epochMs).toBeNull();
    expect(parseP1Timestamp('2310011200W')).toBeNull();
    expect(parseP1Timestamp('231001120000X')).toBeNull();
    expect(parseP1Timestamp('')).toBeNull();
  });

  it('reads two-digit years like POSIX: 00–68 are 20xx, 69–99 are 19xx (empty channels send 700101…)', () => {
    expect(iso('000101000001W')).toBe('1999-12-31T23:00:01.000Z');
    expect(parseP1Timestamp('700101010000W')?.epochMs).toBe(0);
    expect(iso('680101010000W')).toBe('2068-01-01T00:00:00.000Z');
  });

  it('switches summer time on the last Sundays of March and October at 01:00 UTC', () => {
    expect(isEuSummerTime(Date.UTC(2024, 2, 31, 0, 59, 59))).toBe(false);
    expect(isEuSummerTime(Date.UTC(2024, 2, 31, 1))).toBe(true);
    expect(isEuSummerTime(Date.UTC(2024, 9, 27, 0, 59, 59))).toBe(true);
    expect(isEuSummerTime(Date.UTC(2024, 9, 27, 1))).toBe(false);
  });

  it('formats what it parses, every half hour of a year, with the flag', () => {
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2025, 0, 1); t += 1_800_000) {
      expect(parseP1Timestamp(formatP1Timestamp(t, true))?.epochMs).toBe(t);
    }
  });

  it('without the flag only the repeated autumn hour is ambiguous (read as summer time)', () => {
    const ambiguous = [Date.UTC(2024, 9, 27, 1), Date.UTC(2024, 9, 27, 1, 30)];
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2025, 0, 1); t += 1_800_000) {
      const back = parseP1Timestamp(formatP1Timestamp(t, false))?.epochMs;
      expect(back).toBe(ambiguous.includes(t) ? t - 3_600_000 : t);
    }
  });
});
