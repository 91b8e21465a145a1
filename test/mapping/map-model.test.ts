import { describe, expect, it } from 'vitest';
import {
  buildModel,
  pickFromRow,
  type MapMeta,
  type Pick,
} from '../../src-renderer/src/pages/mapping/map-model.js';
import { parseModel } from '../../src-main/devices/library.js';
import { decodeTable } from '../../src-main/mapping/decode-table.js';

const META: MapMeta = {
  id: 'site-x',
  vendor: 'Acme',
  name: 'X',
  idRegister: '30',
  idValue: '4711',
  systems: ['3P.N', '1P'],
  maxRegistersPerRead: '20',
};

const pick = (p: Partial<Pick>): Pick => ({
  register: 0,
  fc: 3,
  type: 'float32',
  wordOrder: 'msw',
  scale: 1,
  scaleText: '1',
  key: 'voltage_l1',
  ...p,
});

const unitOf = (key: string): string => ({ voltage_l1: 'V', energy_export: 'kWh' })[key] ?? '';

describe('map builder model file', () => {
  it('keeps byte-swapped orders, the wiring systems and the request size the technician chose', () => {
    const m = buildModel(
      META,
      [
        pick({ key: 'energy_export', register: 22, wordOrder: 'lsw-byteswap' }),
        pick({ register: 0, type: 'uint16', wordOrder: 'msw-byteswap', scale: 0.1 }),
        pick({ key: 'voltage_l2', register: 1, type: 'uint16', wordOrder: 'lsw' }),
      ],
      3,
      'tcp',
      '127.0.0.1:502',
      unitOf,
    ) as { systems: string[]; maxRegistersPerRead: number; signals: Record<string, unknown>[] };
    // In the schema's order, whatever order they were ticked in.
    expect(m.systems).toEqual(['1P', '3P.N']);
    expect(m.maxRegistersPerRead).toBe(20);
    expect(m.signals[0]).toMatchObject({ register: 22, wordOrder: 'lsw-byteswap' });
    // A 16-bit register keeps a byte swap, and has no word order otherwise.
    expect(m.signals[1]).toMatchObject({ register: 0, wordOrder: 'msw-byteswap', scale: 0.1 });
    expect(m.signals[2]).not.toHaveProperty('wordOrder');
  });

  it('is accepted by the library schema with a byte-swapped order, and refused with no system', () => {
    const one = [pick({ key: 'energy_export', register: 22, wordOrder: 'lsw-byteswap' })];
    const ok = buildModel(META, one, 3, 'tcp', '', unitOf);
    expect(parseModel(ok, 'site-x.json').signals[0]?.wordOrder).toBe('lsw-byteswap');
    const none = buildModel({ ...META, systems: [] }, one, 3, 'tcp', '', unitOf);
    expect(() => parseModel(none, 'site-x.json')).toThrow(/systems/);
    const big = buildModel({ ...META, maxRegistersPerRead: '200' }, one, 3, 'tcp', '', unitOf);
    expect(() => parseModel(big, 'site-x.json')).toThrow(/maxRegistersPerRead/);
  });

  it('takes a probed hint in a byte-swapped order as that order', () => {
    const b = Buffer.alloc(4);
    b.writeFloatBE(230.5);
    b.reverse(); // DCBA
    const row = decodeTable(0, [b.readUInt16BE(0), b.readUInt16BE(2)])[0]!;
    const p = pickFromRow(row, 3, [{ key: 'voltage_l1', name: 'Voltage L1', unit: 'V' }] as never);
    expect(p).toMatchObject({ type: 'float32', wordOrder: 'lsw-byteswap', key: 'voltage_l1' });
  });
});
