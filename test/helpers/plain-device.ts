import type { NewDevice, NewSignal } from '../../src-main/store/config-repo.js';

/** A device with one load and the given signals, on a connection nobody polls: data for store tests and benches. */
export function plainDevice(label: string, signals: NewSignal[], loads = 1): NewDevice {
  return {
    label,
    protocol: 'tcp',
    model: null,
    partNumber: 'X',
    system: '3P.N',
    connection: { host: '127.0.0.1', port: 1, unit: 1, model: 'x' },
    loads: Array.from({ length: loads }, (_, i) => ({ label: `L${i + 1}`, index: i + 1, signals })),
  };
}

/** `n` gauge signals in W keyed k0…k(n-1). */
export function gauges(n: number): NewSignal[] {
  return Array.from({ length: n }, (_, i) => ({
    key: `k${i}`,
    si: 1,
    kind: 'gauge',
    type: 'float',
    unit: 'W',
  }));
}
