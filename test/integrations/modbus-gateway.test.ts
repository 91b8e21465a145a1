import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignUnits } from '../../src-main/integrations/modbus-gateway/unit-map.js';
import type { ModbusGateway } from '../../src-main/integrations/modbus-gateway/server.js';
import { freePort } from '../../src-main/sim/demo-plant.js';
import { requireTool } from '../helpers/peers.js';
import { eventually } from '../helpers/integration-peers.js';
import { startPlant, type Plant } from './fixture.js';

/** mbpoll (Debian) as the outside client: one request, its printed registers or its error line. */
function mbpoll(port: number, args: string[]): Promise<{ code: number; out: string }> {
  requireTool('/usr/bin/mbpoll', 'mbpoll');
  return new Promise((resolve) => {
    execFile(
      '/usr/bin/mbpoll',
      ['-m', 'tcp', '-p', String(port), '-0', '-1', '-o', '3', ...args],
      { timeout: 20_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number(err.code ?? 1) : 0, out: `${stdout}\n${stderr}` }),
    );
  });
}
const regs = (out: string): number[] => [...out.matchAll(/^\[\d+\]:\s+(-?\d+)/gm)].map((m) => Number(m[1]));

let plant: Plant;
let port: number;

beforeAll(async () => {
  port = await freePort();
  // Two meters on two lines, both at unit 1: the one added second (higher uid) must move to 101.
  plant = await startPlant(
    [
      { model: 'eastron-sdm630', unit: 1, keys: ['voltage_l1', 'voltage_l2'], pollMs: 400 },
      { model: 'cg-em24-rs485', unit: 1, keys: ['voltage_l1'], pollMs: 400 },
    ],
    (s) => ({ ...s, modbusGateway: { ...s.modbusGateway, enabled: true, port } }),
  );
  // Let both be polled once so the gateway has their registers.
  await eventually(
    () => (plant.rt.engine.poller.status().every((s) => s.state === 'online') ? true : undefined),
    'both meters online',
  );
}, 60_000);
afterAll(async () => {
  await plant?.close();
});

const gateway = (): ModbusGateway => plant.rt.engine.integrations.get<ModbusGateway>('modbusGateway')!;

describe('unit ids', () => {
  it('keeps each device at its own unit id; clashes go to the lowest free id from 101, by uid', () => {
    expect(
      assignUnits([
        { uid: 30, busUnit: 1 },
        { uid: 10, busUnit: 1 },
        { uid: 20, busUnit: 101 },
        { uid: 40, busUnit: 1 },
      ]),
    ).toEqual([
      { unit: 1, uid: 10, busUnit: 1, moved: false },
      { unit: 101, uid: 20, busUnit: 101, moved: false },
      { unit: 102, uid: 30, busUnit: 1, moved: true },
      { unit: 103, uid: 40, busUnit: 1, moved: true },
    ]);
  });
});

describe('Modbus TCP gateway read by mbpoll', () => {
  it('shows the unit mapping in its state', async () => {
    const [sdm, em24] = plant.devices;
    await eventually(
      () => (gateway().status().units?.length === 2 ? true : undefined),
      'both devices mapped',
    );
    expect(gateway().status().units).toEqual([
      expect.objectContaining({
        unit: 1,
        deviceUid: sdm!.uid,
        busUnit: 1,
        model: 'eastron-sdm630',
        writable: false,
      }),
      expect.objectContaining({
        unit: 101,
        deviceUid: em24!.uid,
        busUnit: 1,
        model: 'cg-em24-rs485',
        writable: false,
      }),
    ]);
  });

  it('answers polled registers from the latest poll, in the model layout, without asking the meter', async () => {
    const sim = plant.sims[0]!.meter;
    // Slow polling down so a poll cannot fall between the two reads below.
    const dev = plant.devices[0]!;
    plant.rt.engine.store.config.updateDevice(dev.uid, { pollMs: 60_000 });
    plant.rt.engine.attach(plant.rt.engine.store.config.device(dev.uid)!);
    await eventually(
      () => (plant.rt.engine.poller.status(dev.uid)[0]?.state === 'online' ? true : undefined),
      'polled',
    );
    const before = sim.requests;
    const r = await mbpoll(port, ['-a', '1', '-r', '0', '-c', '4', '-t', '3', '127.0.0.1']);
    expect(r.code, r.out).toBe(0);
    const words = regs(r.out);
    expect(words).toHaveLength(4);
    const b = Buffer.alloc(4);
    b.writeUInt16BE(words[0]! & 0xffff, 0);
    b.writeUInt16BE(words[1]! & 0xffff, 2);
    const volts = b.readFloatBE(0);
    const uid = dev.loads[0]!.signals.find((s) => s.key === 'voltage_l1')!.uid;
    const rt = plant.rt.engine.store.samples.realtime([uid])[0]!;
    expect(Number(volts.toPrecision(7))).toBeCloseTo(rt.v as number, 3);
    expect(sim.requests).toBe(before);
  }, 40_000);

  it('forwards registers polling does not read onto the bus, and serves the moved device at 101', async () => {
    const sim = plant.sims[0]!.meter;
    const before = sim.requests;
    const f = await mbpoll(port, ['-a', '1', '-r', '70', '-c', '2', '-t', '3', '127.0.0.1']);
    expect(f.code, f.out).toBe(0);
    const w = regs(f.out);
    const b = Buffer.alloc(4);
    b.writeUInt16BE(w[0]! & 0xffff, 0);
    b.writeUInt16BE(w[1]! & 0xffff, 2);
    expect(b.readFloatBE(0)).toBeGreaterThan(45);
    expect(b.readFloatBE(0)).toBeLessThan(65);
    expect(sim.requests).toBe(before + 1);
    // EM24 (int32, low word first, 0.1 V) at its moved unit id.
    const e = await mbpoll(port, ['-a', '101', '-r', '0', '-c', '2', '-t', '4', '127.0.0.1']);
    expect(e.code, e.out).toBe(0);
    const [lo, hi] = regs(e.out);
    const dv = ((hi! & 0xffff) * 65536 + (lo! & 0xffff)) / 10;
    expect(dv).toBeGreaterThan(200);
  }, 40_000);

  it('read-only by default (exception 01), writes go through once enabled; unknown unit gets 0x0B', async () => {
    const em24 = plant.devices[1]!;
    const denied = await mbpoll(port, ['-a', '101', '-r', '4355', '-t', '4', '127.0.0.1', '7']);
    expect(denied.code).not.toBe(0);
    expect(denied.out).toMatch(/Illegal function/i);
    const unknown = await mbpoll(port, ['-a', '55', '-r', '0', '-t', '4', '127.0.0.1']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.out).toMatch(/Target device failed to respond/i);
    const engine = plant.rt.engine;
    const s = engine.integrations.current();
    await engine.integrations.configure({
      ...s,
      modbusGateway: { ...s.modbusGateway, writable: [em24.uid] },
    });
    const ok = await mbpoll(port, ['-a', '101', '-r', '4355', '-t', '4', '127.0.0.1', '7']);
    expect(ok.code, ok.out).toBe(0);
    const back = await mbpoll(port, ['-a', '101', '-r', '4355', '-t', '4', '127.0.0.1']);
    expect(regs(back.out)).toEqual([7]);
  }, 60_000);

  it('listens on loopback only unless remote access is allowed', async () => {
    const engine = plant.rt.engine;
    const s = engine.integrations.current();
    await engine.integrations.configure({ ...s, modbusGateway: { ...s.modbusGateway, host: '0.0.0.0' } });
    const st = engine.integrations.status().find((x) => x.name === 'modbusGateway')!;
    expect(st.connected).toBe(false);
    expect(st.lastError).toMatch(/only loopback by default.*--allow-remote/);
  });
});
