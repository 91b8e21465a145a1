import type { RegisterSpec } from './peers.js';

const f32 = (v: number, order: 'ABCD' | 'CDAB' | 'DCBA'): number[] => {
  const b = Buffer.alloc(4);
  b.writeFloatBE(v);
  if (order === 'DCBA') b.reverse();
  const hi = b.readUInt16BE(0);
  const lo = b.readUInt16BE(2);
  return order === 'CDAB' ? [lo, hi] : [hi, lo];
};

/**
 * A meter no library file describes, as a technician meets it: scaled 16-bit voltages and currents, a
 * 32-bit power, a scaled frequency, a float energy with the low word first, and a gap the device
 * refuses (registers 12-19), a float export energy with every byte reversed (DCBA, as some gateways
 * send it) at 22, a model code at 30. Holding registers (fc 3).
 */
export const UNDESCRIBED_REGISTERS: Record<number, number[]> = {
  0: [2301, 2298, 2315, 612, 598, 605, 0, 4210, 5002, 0, ...f32(12345.5, 'CDAB')],
  20: [...f32(0.987, 'ABCD'), ...f32(678.25, 'DCBA')],
  // The maker's model code, for a map's identification.
  30: [4711],
};

/** What the registers mean, for the tests' expectations. */
export const UNDESCRIBED_TRUTH = {
  voltage_l1: { register: 0, type: 'uint16', scale: 0.1, value: 230.1 },
  current_l1: { register: 3, type: 'uint16', scale: 0.01, value: 6.12 },
  active_power: { register: 6, type: 'int32', order: 'ABCD', value: 4210 },
  frequency: { register: 8, type: 'uint16', scale: 0.01, value: 50.02 },
  energy_import: { register: 10, type: 'float32', order: 'CDAB', value: 12345.5 },
  energy_export: { register: 22, type: 'float32', order: 'DCBA', value: 678.25 },
} as const;

export function undescribedUnit(): RegisterSpec[number] {
  return { hr: UNDESCRIBED_REGISTERS };
}
