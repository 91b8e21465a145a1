import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ModbusBus } from '../../src-main/bus/modbus-bus.js';
import { loadLibrary } from '../../src-main/devices/library.js';
import type { DeviceModel } from '../../src-main/devices/model-schema.js';
import { ModbusDriver } from '../../src-main/drivers/modbus-driver.js';
import { freePort } from '../../src-main/sim/demo-plant.js';
import { serveTcp, SimulatedMeter } from '../../src-main/sim/modbus-sim.js';
import { TcpTransport } from '../../src-main/transport/tcp.js';
import { requireTool } from '../helpers/peers.js';

const MBPOLL = '/usr/bin/mbpoll';
const run = promisify(execFile);

/** One poll by libmodbus's mbpoll, 0-based addresses; returns the values it printed, in order. */
async function mbpoll(
  port: number,
  fc: 3 | 4,
  register: number,
  count: number,
  kind = '',
  extra: string[] = [],
): Promise<string[]> {
  requireTool(MBPOLL, 'mbpoll');
  const table = `${fc === 3 ? '4' : '3'}${kind}`;
  const args = ['-m', 'tcp', '-a', '1', '-p', String(port), '-0', '-1', '-o', '2', '-r', String(register)];
  const { stdout } = await run(MBPOLL, [...args, ...extra, '-c', String(count), '-t', table, '127.0.0.1']);
  return [...stdout.matchAll(/^\[\d+\]:\s+(\S+)/gm)].map((m) => m[1]!);
}

const words = (values: string[]): Buffer => {
  const b = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => b.writeUInt16BE(Number(v) & 0xffff, i * 2));
  return b;
};

const library = loadLibrary();
const modbusModels = library.all.filter((m) => m.protocols.some((p) => p === 'rtu' || p === 'tcp'));

/** The first 32-bit float or integer measurement: what mbpoll can decode itself (-t N:float / N:int). */
const firstWide = (m: DeviceModel) =>
  m.signals.find(
    (s) => (s.type === 'float32' || s.type === 'int32') && !s.wordOrder && s.key.startsWith('voltage'),
  );

describe("each model's simulator read once by an outside master (mbpoll)", () => {
  for (const model of modbusModels) {
    it(`${model.id}: mbpoll reads the documented id and a measurement the driver reads too`, async () => {
      const port = await freePort();
      const sim = await serveTcp(new SimulatedMeter({ model, unit: 1 }), port);
      try {
        // A model without a documented id register (Janitza UMG 96RM) has only its measurement checked.
        const id = model.identification;
        const got = id
          ? await mbpoll(port, id.fc, id.register, id.words ?? (id.type === 'uint32' ? 2 : 1))
          : [];
        if (!id) expect(model.notes?.join(' ')).toMatch(/No identification/);
        else if (id.type === 'ascii') {
          const text = words(got).toString('latin1').replace(/\0/g, '').trim();
          expect(id.match.some((m) => m.text !== undefined && text.includes(m.text))).toBe(true);
        } else {
          const v = Number(got[0]);
          expect(
            id.match.some((m) => m.values?.includes(v) || (m.range && v >= m.range[0] && v <= m.range[1])),
            `id ${v}`,
          ).toBe(true);
        }
        const sig = firstWide(model);
        if (!sig) return;
        // mbpoll's -B is big-endian (most significant word first); without it, least significant first.
        const order = model.wordOrder === 'msw' ? ['-B'] : [];
        const kind = sig.type === 'float32' ? ':float' : ':int';
        const [outside] = await mbpoll(port, sig.fc, sig.register, 1, kind, order);
        const bus = new ModbusBus(new TcpTransport({ host: '127.0.0.1', port }), {
          framing: 'tcp',
          timeoutMs: 2000,
        });
        await bus.open();
        try {
          const r = await new ModbusDriver(bus, model, 1, [sig.key]).read();
          const ours = r.readings[0]!.value as number;
          const theirs = Number(outside) * (sig.scale ?? 1);
          // The simulator's values move with its physics between the two reads: same magnitude, not same digits.
          expect(Math.abs(theirs - ours)).toBeLessThan(Math.max(1, Math.abs(ours) * 0.05));
        } finally {
          await bus.close();
        }
      } finally {
        await sim.stop();
      }
    });
  }
});
