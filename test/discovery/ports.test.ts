import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyPort, listPorts } from '../../src-main/transport/ports.js';

describe('serial port classification', () => {
  it('names the bridge chip of common USB-RS485 adapters from their USB ids', () => {
    expect(classifyPort({ vendorId: '0403', productId: '6001' })).toEqual({
      chip: 'FTDI FT232R',
      rs485Likely: true,
    });
    expect(classifyPort({ vendorId: '1A86', productId: '7523' })).toEqual({
      chip: 'CH340',
      rs485Likely: true,
    });
    expect(classifyPort({ vendorId: '10c4', productId: 'ea60' })).toEqual({
      chip: 'CP210x',
      rs485Likely: true,
    });
    // Windows and macOS spell ids differently; an unlisted product of a bridge vendor is still a bridge.
    expect(classifyPort({ vendorId: '0x0403', productId: '0x6015' }).chip).toBe('FTDI FT-X');
    expect(classifyPort({ vendorId: '403', productId: '6040' })).toEqual({ chip: 'FTDI', rs485Likely: true });
    expect(classifyPort({ vendorId: '1a86', productId: '7522' }).chip).toBe('WCH CH34x');
  });

  it('falls back to the manufacturer name, and leaves other ports unmarked', () => {
    expect(classifyPort({ manufacturer: 'Silicon Labs' })).toEqual({
      chip: 'Silicon Labs',
      rs485Likely: true,
    });
    expect(classifyPort({ manufacturer: 'Waveshare USB TO RS485' }).rs485Likely).toBe(true);
    expect(
      classifyPort({ vendorId: '2341', productId: '0043', manufacturer: 'Arduino (www.arduino.cc)' }),
    ).toEqual({
      chip: null,
      rs485Likely: false,
    });
    expect(classifyPort({})).toEqual({ chip: null, rs485Likely: false });
  });

  it('lists every serial device of this machine with the classification fields', async () => {
    const ports = await listPorts();
    // Outside oracle on Linux: the kernel's own list of ttys backed by a device (ttyS*, ttyUSB*, …).
    if (process.platform === 'linux') {
      const kernel = readdirSync('/sys/class/tty')
        .filter((n) => /^tty(S|USB|ACM|AMA)\d+$/.test(n) && existsSync(`/sys/class/tty/${n}/device`))
        .map((n) => `/dev/${n}`);
      expect(kernel.length, 'this machine has serial devices to list').toBeGreaterThan(0);
      expect(ports.map((p) => p.path)).toEqual(expect.arrayContaining(kernel));
    }
    for (const p of ports) {
      expect(typeof p.path).toBe('string');
      expect(p).toHaveProperty('vendorId');
      expect(p).toHaveProperty('serialNumber');
      expect(typeof p.rs485Likely).toBe('boolean');
    }
  });
});
