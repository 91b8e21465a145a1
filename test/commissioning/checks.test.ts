import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src-main/commissioning/checks.js';
import { deviceFromModel } from '../../src-main/devices/instantiate.js';
import type { DeviceModel } from '../../src-main/devices/model-schema.js';
import { Engine } from '../../src-main/engine.js';
import { freePort } from '../../src-main/sim/demo-plant.js';
import type { PhysicsFaults } from '../../src-main/sim/meter-physics.js';
import { SimulatedMeter } from '../../src-main/sim/modbus-sim.js';
import { serveTcpBus, type RunningBus } from '../../src-main/sim/sim-bus-servers.js';
import { SimulatedBus } from '../../src-main/sim/sim-bus.js';
import type { LoadType, SystemType } from '../../src-preload/contract/domain.js';

interface Case {
  unit: number;
  model: string;
  faults?: PhysicsFaults;
  system?: SystemType;
  loadType?: LoadType;
}

// One simulated gateway, one meter per fault: each check runs against real register reads.
const CASES: Record<string, Case> = {
  clean: { unit: 1, model: 'cg-em24-rs485' },
  cleanEm340: { unit: 2, model: 'cg-em340-et340' },
  reversedCt: { unit: 3, model: 'cg-em24-rs485', faults: { reversedCt: 2 } },
  reversedCtFlags: { unit: 4, model: 'cg-em340-et340', faults: { reversedCt: 1 } },
  missingPhase: { unit: 5, model: 'cg-em24-rs485', faults: { missingPhase: 3 } },
  noVoltageTap: { unit: 6, model: 'eastron-sdm630', faults: { missingVoltageTap: 2 } },
  sequence: { unit: 7, model: 'cg-em24-rs485', faults: { reversedSequence: true } },
  lowPf: { unit: 8, model: 'eastron-sdm630', faults: { powerFactor: 0.3 } },
  wrongSystem: { unit: 9, model: 'cg-em24-rs485', system: '1P' },
  production: { unit: 10, model: 'cg-em24-rs485', faults: { reversedCt: 3 }, loadType: 1 },
};

describe('commissioning checks against simulated meters with wiring faults', () => {
  let engine: Engine;
  let gateway: RunningBus;
  const uid: Record<string, number> = {};

  beforeAll(async () => {
    engine = new Engine({ dbFile: join(mkdtempSync(join(tmpdir(), 'ems-check-')), 'ems.db'), poll: false });
    const port = await freePort();
    const meters = Object.values(CASES).map(
      (c) => new SimulatedMeter({ model: engine.library.require(c.model), unit: c.unit, faults: c.faults }),
    );
    gateway = await serveTcpBus(new SimulatedBus(meters), port);
    for (const [name, c] of Object.entries(CASES)) {
      const model: DeviceModel = engine.library.require(c.model);
      const d = deviceFromModel(
        model,
        { host: '127.0.0.1', port, unit: c.unit, model: model.id },
        engine.catalogue,
        {
          system: c.system ?? '3P.N',
        },
      );
      uid[name] = engine.addDevice({
        ...d,
        loads: d.loads.map((l) => ({ ...l, type: c.loadType ?? 0 })),
      }).uid;
    }
    // A device nobody answers for.
    const sdm = engine.library.require('eastron-sdm630');
    uid.absent = engine.addDevice(
      deviceFromModel(sdm, { host: '127.0.0.1', port, unit: 99, model: sdm.id }, engine.catalogue),
    ).uid;
  });
  afterAll(async () => {
    await engine?.close();
    await gateway?.stop();
  });

  const check = (name: string) => engine.checkDevice(uid[name]!);

  it('finds nothing on correctly wired meters', async () => {
    for (const name of ['clean', 'cleanEm340']) {
      const r = await check(name);
      expect(r.findings, name).toEqual([]);
      expect(r.ok).toBe(true);
      expect(r.meterSystem).toBe('3P.N');
      expect(r.summary).toMatch(/look right/);
    }
  });

  it('a negative phase power on a consumption load: that CT is backwards', async () => {
    const r = await check('reversedCt');
    expect(r.ok).toBe(false);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ code: 'ct-reversed', phase: 2, severity: 'error' });
    expect(r.findings[0]?.message).toMatch(
      /^L2 active power is negative \(-\d+.* W\) on a consumption load$/,
    );
    expect(r.findings[0]?.fix).toMatch(
      /L2 CT is probably mounted backwards: turn it around or swap its S1\/S2/,
    );
  });

  it("the EM340's own wrong-connection bits name the inverted phase (one finding, not two)", async () => {
    const r = await check('reversedCtFlags');
    expect(r.findings.map((f) => [f.code, f.phase])).toEqual([['ct-reversed', 1]]);
    expect(r.findings[0]?.message).toBe('the meter reports the L1 current inverted');
  });

  it('a phase without voltage, and a phase with current but no voltage tap', async () => {
    const missing = await check('missingPhase');
    expect(missing.findings.map((f) => [f.code, f.phase])).toEqual([['voltage-missing', 3]]);
    expect(missing.findings[0]?.fix).toMatch(/L3 fuse/);
    const tap = await check('noVoltageTap');
    expect(tap.findings.map((f) => [f.code, f.phase])).toEqual([['current-without-voltage', 2]]);
    expect(tap.findings[0]?.message).toMatch(/^L2 carries [\d.]+ A but the meter sees no voltage on it/);
  });

  it('a reversed phase sequence and an implausible power factor', async () => {
    const seq = await check('sequence');
    expect(seq.findings.map((f) => f.code)).toEqual(['phase-sequence']);
    expect(seq.findings[0]?.message).toBe('the phase sequence is L1-L3-L2 (reversed)');
    const pf = await check('lowPf');
    expect(pf.findings.map((f) => [f.code, f.phase])).toEqual([
      ['pf-low', 1],
      ['pf-low', 2],
      ['pf-low', 3],
    ]);
  });

  it('the meter set to another wiring system than configured', async () => {
    const r = await check('wrongSystem');
    expect(r.findings.map((f) => f.code)).toEqual([
      'system-mismatch',
      'unexpected-voltage',
      'unexpected-voltage',
    ]);
    expect(r.findings[0]?.message).toBe('the meter is set to 3P.N but the device is configured as 1P');
  });

  it('on a production load only a phase against the others is suspicious', async () => {
    const r = await check('production');
    expect(r.findings.map((f) => [f.code, f.phase, f.severity])).toEqual([['power-sign', 3, 'warning']]);
  });

  it('a meter that does not answer', async () => {
    const r = await check('absent');
    expect(r.answered).toBe(false);
    expect(r.findings[0]).toMatchObject({ code: 'no-answer', severity: 'error' });
    expect(r.findings[0]?.message).toMatch(/no answer from unit 99/);
  });
});

describe('check rules on plain numbers', () => {
  const healthy = {
    voltage_l1: 230,
    voltage_l2: 231,
    voltage_l3: 229,
    current_l1: 5,
    current_l2: 5,
    current_l3: 5,
  };

  it('a power factor above 1 is impossible', () => {
    const f = evaluate({ system: '3P.N', loadType: 0, values: { ...healthy, power_factor_l2: 1.3 } });
    expect(f.map((x) => [x.code, x.phase])).toEqual([['pf-impossible', 2]]);
  });

  it('3P without neutral has no phase-to-neutral voltages to miss; small powers are noise', () => {
    const f = evaluate({
      system: '3P',
      loadType: 0,
      values: { voltage_l1: 0, voltage_l2: 0, voltage_l3: 0, active_power_l1: -5, active_power_l2: 40 },
    });
    expect(f).toEqual([]);
  });

  it('single-phase meters report phase-less keys; frequency out of range', () => {
    const f = evaluate({ system: '1P', loadType: 0, values: { voltage: 0, current: 3, frequency: 16.7 } });
    expect(f.map((x) => x.code)).toEqual(['current-without-voltage', 'frequency']);
  });
});
