import { describe, expect, it } from 'vitest';
import type { MonitorFrame } from '../../src-main/bus/monitor.js';
import { describeFrame } from '../../src-main/ipc/monitor-describe.js';

const frame = (f: Partial<MonitorFrame>): MonitorFrame => ({
  seq: 1,
  t: 0,
  bus: 'x',
  dir: 'tx',
  hex: '',
  unit: 1,
  fc: 3,
  ...f,
});

describe('bus monitor frame descriptions', () => {
  it('names requests with their register range, RTU and Modbus TCP alike', () => {
    // RTU: unit 1, read holding 0x0000 ×10, CRC.
    expect(describeFrame(frame({ hex: '01030000000ac5cd' }), 'rtu')).toBe(
      'Read holding registers 0x0000 ×10',
    );
    // TCP: MBAP (tx 5, proto 0, len 6, unit 1) + read input 0x0000 ×36.
    expect(describeFrame(frame({ hex: '000500000006010400000024', fc: 4 }), 'tcp')).toBe(
      'Read input registers 0x0000 ×36',
    );
    expect(describeFrame(frame({ hex: '01100012000204000000010000', fc: 16 }), 'rtu')).toBe(
      'Write registers 0x0012 ×2',
    );
  });

  it('names replies, exceptions and silence', () => {
    expect(describeFrame(frame({ dir: 'rx', hex: '0103040000000ffa33', outcome: 'ok' }), 'rtu')).toBe(
      'Read holding registers: 2 registers',
    );
    expect(describeFrame(frame({ dir: 'rx', hex: '018302c0f1', outcome: 'exception' }), 'rtu')).toBe(
      'Exception 2: illegal data address (Read holding registers)',
    );
    expect(describeFrame(frame({ dir: 'none', outcome: 'timeout' }), 'rtu')).toBe('No reply');
    expect(describeFrame(frame({ dir: 'rx', hex: 'ff00', outcome: 'garbage' }), 'rtu')).toBe(
      'Unframed bytes',
    );
  });
});
