import { describe, expect, it } from 'vitest';
import { decodeRegisters, encodeRegisters, registerCount } from '../../../src-main/protocol/modbus/codec.js';
import type { RegisterType, WordOrder } from '../../../src-main/devices/model-schema.js';
import { decodeTable } from '../../../src-main/mapping/decode-table.js';

describe('register codec', () => {
  it('decodes 16-bit types', () => {
    expect(decodeRegisters([0xfffe], 'int16', 'msw')).toBe(-2);
    expect(decodeRegisters([0xfffe], 'uint16', 'msw')).toBe(65534);
  });

  it('decodes 32-bit integers in both word orders', () => {
    // 0x00012345 = 74565: msw = [0x0001, 0x2345]; Carlo Gavazzi (lsw) sends [0x2345, 0x0001].
    expect(decodeRegisters([0x0001, 0x2345], 'uint32', 'msw')).toBe(74565);
    expect(decodeRegisters([0x2345, 0x0001], 'uint32', 'lsw')).toBe(74565);
    expect(decodeRegisters([0xffff, 0xfffe], 'int32', 'msw')).toBe(-2);
    expect(decodeRegisters([0xfffe, 0xffff], 'int32', 'lsw')).toBe(-2);
    // 2301 raw = 230.1 V at scale 0.1 on an EM24 (low word first)
    expect(decodeRegisters([2301, 0], 'int32', 'lsw')).toBe(2301);
  });

  it('decodes IEEE-754 float32 and float64 (Eastron: big-endian words)', () => {
    // 230.5 = 0x43668000
    expect(decodeRegisters([0x4366, 0x8000], 'float32', 'msw')).toBe(230.5);
    expect(decodeRegisters([0x8000, 0x4366], 'float32', 'lsw')).toBe(230.5);
    // 1.5 = 0x3FF8000000000000
    expect(decodeRegisters([0x3ff8, 0, 0, 0], 'float64', 'msw')).toBe(1.5);
    expect(decodeRegisters([0, 0, 0, 0x3ff8], 'float64', 'lsw')).toBe(1.5);
  });

  it('decodes 64-bit integers', () => {
    expect(decodeRegisters([0, 0, 0x0001, 0x0000], 'uint64', 'msw')).toBe(65536);
    expect(decodeRegisters([0x0000, 0x0001, 0, 0], 'uint64', 'lsw')).toBe(65536);
    expect(decodeRegisters([0xffff, 0xffff, 0xffff, 0xfff6], 'int64', 'msw')).toBe(-10);
  });

  it('decodes ascii and strips NUL padding at either end', () => {
    expect(decodeRegisters([0x4142, 0x4300], 'ascii', 'msw')).toBe('ABC');
    expect(decodeRegisters([0x0041, 0x0042], 'ascii', 'msw')).toBe('AB');
  });

  it('decodes the byte-swapped orders BADC (msw-byteswap) and DCBA (lsw-byteswap)', () => {
    // 230.5 = 0x43 0x66 0x80 0x00 (A B C D)
    expect(decodeRegisters([0x6643, 0x0080], 'float32', 'msw-byteswap')).toBe(230.5);
    expect(decodeRegisters([0x0080, 0x6643], 'float32', 'lsw-byteswap')).toBe(230.5);
    // 74565 = 0x00 0x01 0x23 0x45
    expect(decodeRegisters([0x0100, 0x4523], 'uint32', 'msw-byteswap')).toBe(74565);
    expect(decodeRegisters([0x4523, 0x0100], 'uint32', 'lsw-byteswap')).toBe(74565);
    expect(decodeRegisters([0xfeff], 'int16', 'msw-byteswap')).toBe(-2);
    expect(decodeRegisters([0x3412], 'uint16', 'lsw-byteswap')).toBe(0x1234);
    // Text keeps address order; only the bytes of each register swap.
    expect(decodeRegisters([0x4241, 0x0043], 'ascii', 'lsw-byteswap')).toBe('ABC');
    expect(encodeRegisters('ABC', 'ascii', 'msw-byteswap', 2)).toEqual([0x4241, 0x0043]);
    expect(encodeRegisters(230.5, 'float32', 'lsw-byteswap')).toEqual([0x0080, 0x6643]);
  });

  it('agrees with the probe table on all four orders of every word pair', () => {
    const pairs: [number, number][] = [
      [0x4366, 0x8000],
      [0x8000, 0x4366],
      [0x1234, 0xabcd],
      [0xfffe, 0x0001],
    ];
    const ORDER = { ABCD: 'msw', CDAB: 'lsw', BADC: 'msw-byteswap', DCBA: 'lsw-byteswap' } as const;
    for (const [hi, lo] of pairs) {
      const row = decodeTable(0, [hi, lo])[0]!;
      for (const [name, order] of Object.entries(ORDER) as [keyof typeof ORDER, WordOrder][]) {
        expect(decodeRegisters([hi, lo], 'uint32', order)).toBe(row.uint32?.[name]);
        expect(decodeRegisters([hi, lo], 'int32', order)).toBe(row.int32?.[name]);
      }
    }
  });

  it('round-trips every numeric type in all four orders', () => {
    const cases: [RegisterType, number][] = [
      ['int16', -1234],
      ['uint16', 54321],
      ['int32', -123456789],
      ['uint32', 3_000_000_000],
      ['float32', 49.75],
      ['int64', -9_007_199_254],
      ['uint64', 9_007_199_254_740],
      ['float64', 12345.678],
    ];
    for (const [type, v] of cases) {
      for (const order of ['msw', 'lsw', 'msw-byteswap', 'lsw-byteswap'] as const) {
        const words = encodeRegisters(v, type, order);
        expect(words).toHaveLength(registerCount(type));
        expect(decodeRegisters(words, type, order)).toBe(v);
      }
    }
  });

  it('refuses too few registers', () => {
    expect(() => decodeRegisters([1], 'int32', 'msw')).toThrow(/needs 2 registers/);
  });
});
