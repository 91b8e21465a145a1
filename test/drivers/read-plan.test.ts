import { describe, expect, it } from 'vitest';
import type { ModelSignal } from '../../src-main/devices/model-schema.js';
import { loadLibrary } from '../../src-main/devices/library.js';
import { convert } from '../../src-main/drivers/modbus-driver.js';
import { planReads } from '../../src-main/drivers/read-plan.js';

const sig = (key: string, register: number, extra: Partial<ModelSignal> = {}): ModelSignal => ({
  key,
  register,
  fc: 3,
  type: 'int32',
  unit: 'V',
  source: 'test',
  ...extra,
});

describe('read planning', () => {
  it('coalesces contiguous registers into one request', () => {
    const blocks = planReads([sig('a', 0), sig('b', 2), sig('c', 4)], { maxRegisters: 125 });
    expect(blocks).toEqual([expect.objectContaining({ fc: 3, address: 0, count: 6 })]);
  });

  it('splits at the model limit and at function codes', () => {
    const blocks = planReads([sig('a', 0), sig('b', 2), sig('c', 4), sig('d', 0, { fc: 4 })], {
      maxRegisters: 4,
    });
    expect(blocks.map((b) => [b.fc, b.address, b.count])).toEqual([
      [3, 0, 4],
      [3, 4, 2],
      [4, 0, 2],
    ]);
  });

  it('bridges small gaps only when allowed', () => {
    expect(planReads([sig('a', 0), sig('b', 6)], { maxRegisters: 125 })).toHaveLength(1);
    expect(planReads([sig('a', 0), sig('b', 6)], { maxRegisters: 125, maxGap: 0 })).toHaveLength(2);
    expect(planReads([sig('a', 0), sig('b', 100)], { maxRegisters: 125 })).toHaveLength(2);
  });

  it('keeps readAlone registers in a request of their own', () => {
    const blocks = planReads([sig('a', 0), sig('b', 2, { readAlone: true, type: 'uint16' }), sig('c', 3)], {
      maxRegisters: 125,
    });
    expect(blocks.map((b) => [b.address, b.count])).toEqual([
      [0, 2],
      [2, 1],
      [3, 2],
    ]);
  });

  it('needs far fewer requests than signals for every model in the library', () => {
    for (const m of loadLibrary().all) {
      const blocks = planReads(m.signals, { maxRegisters: m.maxRegistersPerRead });
      expect(blocks.length, m.id).toBeLessThan(m.signals.length);
      for (const b of blocks) expect(b.count, m.id).toBeLessThanOrEqual(m.maxRegistersPerRead);
    }
  });
});

describe('value conversion', () => {
  it('scales into catalogue units without float noise', () => {
    expect(convert(sig('v', 0, { scale: 0.1 }), 2301)).toEqual({ key: 'v', value: 230.1, status: 1 });
    expect(convert(sig('v', 0, { scale: -1 }), 0).value).toBe(0);
    expect(Object.is(convert(sig('v', 0, { scale: -1 }), 0).value, -0)).toBe(false);
  });

  it('reports the meter overflow markers as out of range', () => {
    expect(convert(sig('v', 0, { invalidRaw: [0x7fffffff] }), 0x7fffffff).status).toBe(2);
    expect(convert(sig('v', 0, { invalidFrom: 0x7fff0000 }), 0x7fff1234).status).toBe(2);
    expect(convert(sig('v', 0, { type: 'float32' }), Number.NaN).status).toBe(2);
  });
});
