import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigValueError } from '../../src-main/commissioning/config-values.js';
import { deviceFromModel } from '../../src-main/devices/instantiate.js';
import { Engine } from '../../src-main/engine.js';
import { freePort } from '../../src-main/sim/demo-plant.js';
import { SimulatedMeter } from '../../src-main/sim/modbus-sim.js';
import { serveSerialBus, type RunningBus } from '../../src-main/sim/sim-bus-servers.js';
import { SimulatedBus } from '../../src-main/sim/sim-bus.js';
import { ptyPair, startPymodbus, type PtyPair, type PymodbusSlave } from '../helpers/peers.js';

const dbFile = (): string => join(mkdtempSync(join(tmpdir(), 'ems-cfg-')), 'ems.db');

describe('meter settings of a load, written to the built-in simulator over RTU', () => {
  let pty: PtyPair;
  let sim: RunningBus;
  let engine: Engine;
  let lid: number;
  let did: number;
  let meter: SimulatedMeter;
  let wrongLid: number;

  beforeAll(async () => {
    pty = await ptyPair();
    engine = new Engine({ dbFile: dbFile(), poll: false });
    const em24 = engine.library.require('cg-em24-rs485');
    const em340 = engine.library.require('cg-em340-et340');
    meter = new SimulatedMeter({ model: em24, unit: 1 });
    // Unit 2 really is an EM24 but is configured as an EM340: its setting addresses do not fit.
    sim = await serveSerialBus(
      new SimulatedBus([meter, new SimulatedMeter({ model: em24, unit: 2 })]),
      pty.b,
    );
    const line = { port: pty.a, baud: 9600, parity: 'none' as const, stopBits: 1 as const };
    const tree = engine.addDevice(
      deviceFromModel(em24, { ...line, unit: 1, model: em24.id }, engine.catalogue),
    );
    lid = tree.loads[0]!.uid;
    did = tree.uid;
    wrongLid = engine.addDevice(
      deviceFromModel(em340, { ...line, unit: 2, model: em340.id }, engine.catalogue),
    ).loads[0]!.uid;
  });
  afterAll(async () => {
    await engine?.close();
    await sim?.stop();
    pty?.close();
  });

  it('reads every setting with the descriptors the form needs', async () => {
    const cfg = await engine.readLoadConfig(lid);
    expect(cfg).toMatchObject({ lid, did, model: 'cg-em24-rs485', message: null });
    const f = Object.fromEntries(cfg.fields.map((x) => [x.key, x]));
    expect(f.system_type).toMatchObject({
      kind: 'choice',
      value: 0,
      choice: '3P.N 3-phase 4-wire',
      readError: null,
    });
    expect(f.ct_ratio).toMatchObject({
      kind: 'number',
      min: 1,
      max: 60000,
      step: 0.1,
      value: 1,
      readError: null,
    });
    expect(f.reset_all_counters).toMatchObject({ kind: 'command', value: null });
    expect(engine.configFields(lid).map((x) => x.key)).toEqual(cfg.fields.map((x) => x.key));
  });

  it('writes in a defined order, reads each back, logs who/old/new/read-back and keeps it on the load', async () => {
    const report = await engine.writeLoadConfig(
      lid,
      { ct_ratio: 50, system_type: 3, measuring_mode: 7, digital_input_mode: 1 },
      'tech-anna',
    );
    expect(report.ok).toBe(true);
    expect(report.results.map((r) => [r.key, r.outcome])).toEqual([
      ['measuring_mode', 'ok'],
      ['system_type', 'ok'],
      ['digital_input_mode', 'ok'],
      ['ct_ratio', 'ok'],
    ]);
    expect(report.results.find((r) => r.key === 'ct_ratio')).toMatchObject({
      old: 1,
      requested: 50,
      readBack: 50,
    });
    expect(meter.image.config.get('ct_ratio')).toBe(500);
    const log = engine.configWriteLog({ lid });
    expect(log).toHaveLength(4);
    expect(log.find((e) => e.key === 'system_type')).toMatchObject({
      who: 'tech-anna',
      did,
      old: 0,
      new: 3,
      readback: 3,
      outcome: 'ok',
    });
    expect(engine.store.config.load(lid)?.settings.meter).toMatchObject({ ct_ratio: 50, system_type: 3 });
    // system_type 3 is "1P single-phase" on an EM24: the device's wiring system follows the meter.
    expect(engine.store.config.device(did)?.system).toBe('1P');

    const again = await engine.writeLoadConfig(lid, { ct_ratio: 50 }, 'tech-anna');
    expect(again.results[0]).toMatchObject({ outcome: 'unchanged' });
    expect(engine.configWriteLog({ lid })).toHaveLength(4);
  });

  it('validates every value before sending anything', async () => {
    const before = engine.configWriteLog().length;
    const e = await engine
      .writeLoadConfig(
        lid,
        { ct_ratio: 0.5, system_type: 9, measuring_mode: 0, bogus: 1, vt_ratio: 1.05 },
        'x',
      )
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConfigValueError);
    const msg = (e as Error).message;
    expect(msg).toMatch(/ct_ratio: 0.5 is below the minimum 1/);
    expect(msg).toMatch(/system_type: 9 is not one of/);
    expect(msg).toMatch(/bogus: the EM24-DIN \(RS485\) has no such setting/);
    expect(msg).toMatch(/vt_ratio: 1.05 is not a multiple of 0.1/);
    expect(meter.image.config.get('measuring_mode')).toBe(7);
    const links = await engine
      .writeLoadConfig(lid, { modbus_address: 5, baud_rate: 0 }, 'x')
      .catch((x: unknown) => x);
    expect((links as Error).message).toMatch(
      /modbus_address\+baud_rate: write one address\/serial setting per job/,
    );
    expect(engine.configWriteLog()).toHaveLength(before);
  });

  it('reports the front-selector lock in words and writes nothing', async () => {
    meter.image.locked = true;
    try {
      const report = await engine.writeLoadConfig(lid, { system_type: 0, ct_ratio: 20 }, 'tech-anna');
      expect(report.ok).toBe(false);
      expect(report.written).toEqual([]);
      for (const r of report.results) {
        expect(r.outcome).toBe('refused');
        expect(r.message).toMatch(/refuses writes: its front selector is in the locked position/);
      }
      expect(meter.image.config.get('system_type')).toBe(3);
      expect(engine.configWriteLog({ lid }).filter((l) => l.outcome === 'refused')).toHaveLength(2);
    } finally {
      meter.image.locked = false;
    }
  });

  it('stops at a refused value, says why in words and which settings were written before', async () => {
    // EM340 addresses on an EM24: display_mode lands on the password (accepted), home_page on the
    // system type (5 is not a system: exception 3), measuring_mode would land on the demand interval.
    const report = await engine.writeLoadConfig(
      wrongLid,
      { display_mode: 1, home_page: 5, measuring_mode: 1 },
      'x',
    );
    expect(report.ok).toBe(false);
    expect(report.results.map((r) => [r.key, r.outcome])).toEqual([
      ['display_mode', 'ok'],
      ['home_page', 'refused'],
      ['measuring_mode', 'skipped'],
    ]);
    expect(report.results[1]?.message).toMatch(/refused the value \(exception 3: illegal data value\)/);
    expect(report.written).toEqual(['display_mode']);
    expect(report.message).toMatch(/home_page: .*Written before that: display_mode/);
  });
});

describe('meter settings against a pymodbus slave that keeps written registers', () => {
  let slave: PymodbusSlave;
  let engine: Engine;
  let lid: number;

  beforeAll(async () => {
    const port = await freePort();
    // SDM630 settings are float32 holding registers, high word first (3.0 = 0x4040 0x0000).
    slave = await startPymodbus(
      { tcp: port },
      {
        1: { hr: { 10: [0x4040, 0], 14: [0, 0], 18: [0, 0], 20: [0x3f80, 0], 24: [0, 0], 28: [0x4000, 0] } },
      },
    );
    engine = new Engine({ dbFile: dbFile(), poll: false });
    const sdm = engine.library.require('eastron-sdm630');
    lid = engine.addDevice(
      deviceFromModel(sdm, { host: '127.0.0.1', port, unit: 1, model: sdm.id }, engine.catalogue),
    ).loads[0]!.uid;
  });
  afterAll(async () => {
    await engine?.close();
    slave?.stop();
  });

  it('writes the password first, then the setting, with FC16 floats, and reads them back', async () => {
    const cfg = await engine.readLoadConfig(lid);
    expect(cfg.fields.find((f) => f.key === 'system_type')?.value).toBe(3);
    const report = await engine.writeLoadConfig(lid, { system_type: 1, password: 1000 }, 'tech-ben');
    expect(report.results.map((r) => [r.key, r.outcome, r.readBack])).toEqual([
      ['password', 'ok', 1000],
      ['system_type', 'ok', 1],
    ]);
    const back = await engine.readLoadConfig(lid);
    expect(back.fields.find((f) => f.key === 'system_type')).toMatchObject({
      value: 1,
      choice: '1P single-phase 2-wire',
    });
    // A link setting is written last and not read back at the old address.
    const link = await engine.writeLoadConfig(lid, { modbus_address: 7 }, 'tech-ben');
    expect(link.results[0]).toMatchObject({ outcome: 'unverified' });
    expect(link.results[0]?.message).toMatch(/update the device connection/);
  });
});
