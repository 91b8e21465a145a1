import { mbusSerialSettings } from '../../src-main/bus/mbus-master.js';
import { startMbusSlave, type SimMbusMeter } from '../../src-main/sim/mbus-slave.js';
import { startP1Meter } from '../../src-main/sim/p1-meter.js';
import { SerialTransport } from '../../src-main/transport/serial.js';
import { ptyPair } from './peers.js';

type Cleanup = (() => Promise<unknown> | unknown)[];

export const TWO_MBUS_METERS: SimMbusMeter[] = [
  { primaryAddress: 3, id: '31000003', manufacturer: 'EMS', kind: 'electricity' },
  { primaryAddress: 8, id: '31000008', manufacturer: 'EMS', kind: 'heat' },
];

/** An M-Bus line on a socat pty with simulated meters behind it; returns the master's end. */
export async function mbusLine(cleanup: Cleanup, meters: SimMbusMeter[] = TWO_MBUS_METERS): Promise<string> {
  const pty = await ptyPair();
  cleanup.push(() => pty.close());
  const side = new SerialTransport(mbusSerialSettings(pty.b));
  await side.open();
  cleanup.push(() => side.close());
  const slave = startMbusSlave(side, meters);
  cleanup.push(() => slave.stop());
  return pty.a;
}

/** A P1 port on a socat pty with a DSMR 5 meter sending every `intervalMs`; returns the reader's end. */
export async function p1Port(cleanup: Cleanup, intervalMs = 500): Promise<string> {
  const pty = await ptyPair();
  cleanup.push(() => pty.close());
  const side = new SerialTransport({
    path: pty.b,
    baudRate: 115200,
    parity: 'none',
    dataBits: 8,
    stopBits: 1,
  });
  await side.open();
  const meter = startP1Meter(side, { intervalMs });
  cleanup.push(async () => (await meter.stop(), await side.close()));
  return pty.a;
}
