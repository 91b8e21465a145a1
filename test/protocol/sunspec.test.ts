import { describe, expect, it } from 'vitest';
import { walkChain } from '../../src-main/protocol/sunspec/chain.js';
import { loadSunSpecDefinitions } from '../../src-main/protocol/sunspec/definitions.js';
import { placePoints } from '../../src-main/protocol/sunspec/layout.js';
import { decodePoint, encodePoint, scaled } from '../../src-main/protocol/sunspec/values.js';
import { sunspecImage } from '../../src-main/sim/sunspec-image.js';
import { CHAIN } from '../helpers/sunspec-device.js';

const defs = loadSunSpecDefinitions();

describe('SunSpec model definitions and values', () => {
  it('loads the models the driver reads, with the lengths the SunSpec specification gives', () => {
    const length = (id: number): number => {
      const d = defs.get(id)!;
      return d.points.reduce((n, p) => n + p.size, 0) - 2;
    };
    expect(length(1)).toBe(66);
    expect(length(103)).toBe(50);
    expect(length(113)).toBe(60);
    expect(length(203)).toBe(105);
    expect(length(213)).toBe(124);
    expect(length(124)).toBe(24);
    expect(length(160)).toBe(8);
  });

  it('decodes "not implemented" markers as no value, never a number', () => {
    expect(decodePoint('int16', [0x8000])).toBeUndefined();
    expect(decodePoint('uint16', [0xffff])).toBeUndefined();
    expect(decodePoint('enum16', [0xffff])).toBeUndefined();
    expect(decodePoint('acc32', [0, 0])).toBeUndefined();
    expect(decodePoint('int32', [0x8000, 0])).toBeUndefined();
    expect(decodePoint('uint32', [0xffff, 0xffff])).toBeUndefined();
    expect(decodePoint('float32', [0x7fc0, 0])).toBeUndefined();
    expect(decodePoint('sunssf', [0x8000])).toBeUndefined();
    expect(decodePoint('string', [0, 0, 0])).toBeUndefined();
    expect(decodePoint('int16', [0xfffe])).toBe(-2);
    expect(decodePoint('acc32', [0x0001, 0x0000])).toBe(65536);
    expect(decodePoint('string', [0x4142, 0x4300])).toBe('ABC');
    expect(scaled(2301, -1)).toBe(230.1);
    expect(scaled(2301, undefined)).toBeUndefined();
    for (const t of ['int16', 'uint16', 'int32', 'uint32', 'acc32', 'float32'] as const) {
      const size = t.endsWith('16') ? 1 : 2;
      expect(decodePoint(t, encodePoint(t, size, undefined))).toBeUndefined();
      expect(decodePoint(t, encodePoint(t, size, 1234))).toBe(1234);
    }
  });

  it('walks a chain to its end marker, skipping a vendor model by its length', async () => {
    const base = 40000;
    const words = sunspecImage(defs, base, CHAIN);
    const read = (address: number, count: number): Promise<number[] | null> => {
      const off = address - base;
      return Promise.resolve(off >= 0 && off + count <= words.length ? words.slice(off, off + count) : null);
    };
    const chain = await walkChain(base, read);
    expect(chain.models.map((m) => m.id)).toEqual([1, 103, 160, 64001, 203]);
    const vendor = chain.models[3]!;
    expect(vendor.length).toBe(12);
    expect(chain.models[4]!.address).toBe(vendor.address + 2 + 12);
    // Two MPPT modules: the repeating group is placed twice after the fixed part.
    const mppt = chain.models[2]!;
    const pts = placePoints(defs.get(160)!, mppt.address, mppt.length);
    const dcv2 = pts.find((p) => p.path === 'module.2.DCV')!;
    expect(dcv2.sf?.def.name).toBe('DCV_SF');
    const off = dcv2.address - base;
    expect(scaled(decodePoint('uint16', words.slice(off, off + 1)) as number, -1)).toBe(614.8);
  });

  it('stops with a reason when a chain has no end or runs past the register space', async () => {
    const endless = (address: number): Promise<number[]> => Promise.resolve([64100 + (address % 7), 0]);
    await expect(walkChain(0, endless)).rejects.toThrow(/no end marker/);
    const past = (): Promise<number[]> => Promise.resolve([103, 0xfff0]);
    await expect(walkChain(65000, past)).rejects.toThrow(/runs past register 65535/);
    const none = (): Promise<null> => Promise.resolve(null);
    await expect(walkChain(40000, none)).rejects.toThrow(/followed by no model/);
  });
});
