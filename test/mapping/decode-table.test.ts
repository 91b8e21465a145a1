import { describe, expect, it } from 'vitest';
import { decodeTable, formatTable } from '../../src-main/mapping/decode-table.js';
import { UNDESCRIBED_REGISTERS } from '../helpers/undescribed-device.js';

const words = UNDESCRIBED_REGISTERS[0]!;

describe('probe decode table', () => {
  const rows = decodeTable(0, [...words, null, null]);
  const at = (a: number) => rows.find((r) => r.address === a)!;

  it('reads every word as int16/uint16 and every pair in the four word/byte orders', () => {
    expect(at(0)).toMatchObject({ word: 2301, uint16: 2301, int16: 2301 });
    expect(at(6).int32).toEqual({
      ABCD: 4210,
      CDAB: 4210 * 65536,
      BADC: expect.any(Number),
      DCBA: expect.any(Number),
    });
    expect(at(10).float32?.CDAB).toBe(12345.5);
    expect(at(10).float32?.ABCD).not.toBe(12345.5);
    // The last read word has no partner, and unread words decode to nothing.
    expect(at(11).int32).toBeUndefined();
    expect(at(12)).toEqual({ address: 12, word: null, hints: [] });
  });

  it('flags what looks like mains voltage, current, frequency and power, with the scale that makes it so', () => {
    expect(at(0).hints).toContainEqual({
      quantity: 'voltage',
      as: 'uint16',
      scale: 0.1,
      value: 230.1,
      unit: 'V',
    });
    expect(at(3).hints).toContainEqual({
      quantity: 'current',
      as: 'uint16',
      scale: 0.01,
      value: 6.12,
      unit: 'A',
    });
    expect(at(8).hints).toContainEqual({
      quantity: 'frequency',
      as: 'uint16',
      scale: 0.01,
      value: 50.02,
      unit: 'Hz',
    });
    expect(at(6).hints).toContainEqual({
      quantity: 'power',
      as: 'int32 ABCD',
      scale: 1,
      value: 4210,
      unit: 'W',
    });
    // A zero word is nothing by itself (only as half of a 32-bit pair).
    expect(at(9).hints.filter((h) => h.as === 'uint16' || h.as === 'int16')).toEqual([]);
  });

  it('prints one line per register with the hints', () => {
    const lines = formatTable(rows, 3);
    expect(lines).toHaveLength(rows.length + 1);
    expect(lines[1]).toMatch(/^\s+0\s+08fd\s+2301\s+2301 .*voltage 230\.1 V \(uint16 ×0\.1\)/);
    expect(lines[13]).toMatch(/not read/);
  });
});
