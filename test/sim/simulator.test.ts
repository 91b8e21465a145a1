import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModbusBus } from '../../src-main/bus/modbus-bus.js';
import { loadLibrary } from '../../src-main/devices/library.js';
import { ModbusDriver } from '../../src-main/drivers/modbus-driver.js';
import { freePort } from '../../src-main/sim/demo-plant.js';
import { serveSerial, serveTcp, SimulatedMeter, type RunningSim } from '../../src-main/sim/modbus-sim.js';
import { SerialTransport } from '../../src-main/transport/serial.js';
import { TcpTransport } from '../../src-main/transport/tcp.js';
import { ptyPair, sleep, type PtyPair } from '../helpers/peers.js';

const library = loadLibrary();

type Values = Record<string, number | string | null>;
const values = (r: Awaited<ReturnType<ModbusDriver['read']>>): Values =>
  Object.fromEntries(r.readings.filter((x) => x.status === 1).map((x) => [x.key, x.value]));

function plausible(v: Values, threePhase: boolean, counts = true): void {
  const volts = threePhase ? [v.voltage_l1, v.voltage_l2, v.voltage_l3] : [v.voltage ?? v.voltage_l1];
  for (const u of volts) {
    expect(u).toBeGreaterThan(220);
    expect(u).toBeLessThan(240);
  }
  expect(v.frequency).toBeGreaterThan(49.8);
  expect(v.frequency).toBeLessThan(50.2);
  if (counts) expect(v[energyKey(v)]).toBeGreaterThan(0);
}

/** The import energy a model counts: the total, or tariff 1 where a meter keeps energy per tariff only (PAC4200). */
const energyKey = (v: Values): string => ('energy_import' in v ? 'energy_import' : 'energy_import_t1');

/**
 * Whether a model maps an import energy at all. The Finder 7M does not: its counters count what the meter's
 * own settings say, and the maker's document gives no factory setting (see the model's notes).
 */
const countsImport = (m: (typeof library.all)[number]): boolean =>
  m.signals.some((s) => s.key === 'energy_import' || s.key === 'energy_import_t1');

describe('built-in simulator, every library model over Modbus TCP', () => {
  it('checks energy on every model but the one whose counters the maker leaves to configuration', () => {
    expect(library.all.filter((m) => !countsImport(m)).map((m) => m.id)).toEqual(['finder-7m']);
  });

  for (const model of library.all) {
    it(`${model.id}: serves plausible, changing values with increasing energy`, async () => {
      const meter = new SimulatedMeter({ model, unit: 5 });
      const port = await freePort();
      const sim = await serveTcp(meter, port);
      const bus = new ModbusBus(new TcpTransport({ host: '127.0.0.1', port }), { framing: 'tcp' });
      try {
        await bus.open();
        const driver = new ModbusDriver(bus, model, 5);
        const first = await driver.read();
        expect(first.errors).toEqual([]);
        expect(first.unsupported).toEqual([]);
        const a = values(first);
        plausible(
          a,
          model.systems.some((s) => s.startsWith('3P')),
          countsImport(model),
        );
        await sleep(1200);
        const b = values(await driver.read());
        // Energy only increases; instantaneous values move.
        if (countsImport(model))
          expect(b[energyKey(a)] as number).toBeGreaterThanOrEqual(a[energyKey(a)] as number);
        const moving = Object.keys(a).filter((k) => typeof a[k] === 'number' && a[k] !== b[k]);
        expect(moving.length).toBeGreaterThan(0);
      } finally {
        await bus.close();
        await sim.stop();
      }
    });
  }
});

describe('built-in simulator as an RTU slave on a socat pty', () => {
  let pty: PtyPair;
  let sim: RunningSim;
  let bus: ModbusBus;
  const model = library.require('cg-em24-rs485');

  beforeAll(async () => {
    pty = await ptyPair();
    sim = await serveSerial(new SimulatedMeter({ model, unit: 7, missingKeys: ['thd_voltage_l1'] }), pty.b);
    bus = new ModbusBus(
      new SerialTransport({ path: pty.a, baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 }),
      {
        framing: 'rtu',
        // Roomy: this test is about decoding, not timing, and may share two cores with other peers.
        timeoutMs: 1500,
      },
    );
    await bus.open();
  });
  afterAll(async () => {
    await bus?.close();
    await sim?.stop();
    pty?.close();
  });

  it('is read through the same driver, and a register the variant lacks is marked unsupported', async () => {
    const keys = model.signals.map((s) => s.key);
    const driver = new ModbusDriver(bus, model, 7);
    const r = await driver.read();
    if (keys.includes('thd_voltage_l1')) expect(r.unsupported).toEqual(['thd_voltage_l1']);
    plausible(values(r), true);
    const again = await driver.read();
    expect(again.errors).toEqual([]);
    expect(again.requests).toBe(driver.requestsPerCycle);
  });

  it('ignores other unit ids (no reply → timeout)', async () => {
    const e = await bus.readRegisters(8, 3, 0, 2, { timeoutMs: 200, retries: 0 }).catch((x: unknown) => x);
    expect((e as Error).message).toMatch(/timeout/);
  });

  it('keeps written configuration registers and refuses writes while locked', async () => {
    const cfg = model.config?.find((c) => c.choices && c.choices.length > 1 && c.type === 'uint16');
    expect(cfg, 'EM24 has an enumerated config register').toBeDefined();
    const value = cfg!.choices![1]!.value;
    await bus.writeRegister(7, cfg!.register, value);
    expect(await bus.readRegisters(7, cfg!.fc, cfg!.register, 1)).toEqual([value]);
    sim.meter.image.locked = true;
    const e = await bus.writeRegister(7, cfg!.register, cfg!.choices![0]!.value).catch((x: unknown) => x);
    expect((e as Error).message).toMatch(/exception 1/);
    sim.meter.image.locked = false;
  });
});
