import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceFromModel } from '../../src-main/devices/instantiate.js';
import { deviceFromP1 } from '../../src-main/devices/instantiate-p1.js';
import { analyseCrossCheck, type CrossEnergy, type CrossSample } from '../../src-main/site/cross-check.js';
import { startP1Meter, type P1MeterHandle } from '../../src-main/sim/p1-meter.js';
import { SerialTransport } from '../../src-main/transport/serial.js';
import { ptyPair, type PtyPair } from '../helpers/peers.js';
import { siteBench, type SiteBench } from './fixture.js';
import { cli } from './helpers.js';

/**
 * The P1 cross-check against simulators: a DSMR 5 meter on a socat pty in front of simulated EM24s on
 * an RS485 pty. The P1 sends what flows through the connection (the chosen EM24's true conductor
 * powers); each EM24 is installed its own way: right, reversed (all CTs), CTs of 200/5 with the meter
 * set to 100/5, and CT2 alone reversed.
 */
describe('P1 cross-check against the main meter', () => {
  let b: SiteBench;
  let p1Pty: PtyPair;
  let p1Side: SerialTransport;
  let p1: P1MeterHandle;
  let source = 1;
  let p1Uid = 0;
  const uids = new Map<number, number>();

  beforeAll(async () => {
    b = await siteBench([
      { model: 'cg-em24-rs485', unit: 1, serial: 'M1' },
      { model: 'cg-em24-rs485', unit: 2, serial: 'M2', wiring: { reversed: [1, 2, 3] } },
      { model: 'cg-em24-rs485', unit: 3, serial: 'M3', wiring: { installedCtRatio: 40 } },
      { model: 'cg-em24-rs485', unit: 4, serial: 'M4', wiring: { reversed: [2] } },
    ]);
    b.meters.get(3)!.image.config.set('ct_ratio', 200); // 20.0: set for 100/5 CTs, 200/5 are fitted
    const model = b.engine.library.require('cg-em24-rs485');
    const line = { port: b.line.port, baud: 9600, parity: 'none' as const, stopBits: 1 as const };
    for (const unit of [1, 2, 3, 4])
      uids.set(
        unit,
        b.engine.addDevice(
          deviceFromModel(model, { ...line, unit, model: model.id }, b.engine.catalogue, {
            label: `Main ${unit}`,
          }),
        ).uid,
      );
    p1Pty = await ptyPair();
    p1Side = new SerialTransport({
      path: p1Pty.b,
      baudRate: 115200,
      parity: 'none',
      dataBits: 8,
      stopBits: 1,
    });
    await p1Side.open();
    p1 = startP1Meter(p1Side, { intervalMs: 200, grid: () => b.meters.get(source)!.gridPower() });
    p1Uid = b.engine.addDevice(
      deviceFromP1(
        { port: p1Pty.a, baud: 115200, parity: 'none', dataBits: 8, dsmr: '5.0' },
        b.engine.catalogue,
        'Utility meter',
      ),
    ).uid;
  }, 30_000);
  afterAll(async () => {
    await p1?.stop();
    await p1Side?.close();
    p1Pty?.close();
    await b?.close();
  });

  const run = (unit: number, seconds = 3) => {
    source = unit;
    return b.engine.siteCrossCheck({ seconds, mainUid: uids.get(unit)!, p1Uid });
  };

  it('agrees with a main meter wired right, and keeps the result for the report', async () => {
    const r = await run(1);
    expect(r.verdict, r.message).toBe('agree');
    expect(r.ok).toBe(true);
    expect(r.samples).toBeGreaterThanOrEqual(5);
    expect(Math.abs(r.p1W)).toBeGreaterThan(500);
    expect(Math.abs(r.diffW)).toBeLessThanOrEqual(r.toleranceW);
    expect(r.phases.map((p) => p.phase)).toEqual([1, 2, 3]);
    const rows = b.engine.store.site.results('p1-check');
    expect(rows[0]).toMatchObject({ kind: 'p1-check', ok: true, did: uids.get(1) });
  }, 30_000);

  it('still agrees when the 2 kW test load is switched on L2 during the window (both meters see it)', async () => {
    source = 1;
    const running = b.engine.siteCrossCheck({ seconds: 3, mainUid: uids.get(1)!, p1Uid });
    await new Promise((r) => setTimeout(r, 1200));
    b.conditions.get(1)!.switchLoad(2, 2000);
    const r = await running.finally(() => b.conditions.get(1)!.switchLoad(2, 0));
    expect(r.verdict, r.message).toBe('agree');
  }, 30_000);

  it('says the sign is reversed when the main meter reads export where the P1 reads import', async () => {
    const r = await run(2);
    expect(r.verdict, r.message).toBe('sign');
    expect(r.ok).toBe(false);
    expect(r.factor!).toBeLessThan(-0.9);
    expect(r.factor!).toBeGreaterThan(-1.1);
    expect(r.message).toMatch(/sign reversed: the main meter reads export where the P1 reads import/);
    expect(r.fixes[0]).toMatch(/swap S1\/S2 of all its CTs/);
  }, 30_000);

  it('says the ratio is off by a consistent factor (×0.5: 200/5 CTs, meter set to 100/5) with the value to set', async () => {
    const r = await run(3);
    expect(r.verdict, r.message).toBe('ratio');
    expect(r.factor!).toBeGreaterThan(0.45);
    expect(r.factor!).toBeLessThan(0.55);
    expect(r.ctRatio).toBe(20);
    expect(r.message).toMatch(/ratio off: the main meter reads ×0\.(4|5)\d of the P1/);
    expect(r.fixes[0]).toMatch(/set it to about (3[89]|4[01])(\.\d)? \(now 20\)/);
    expect(r.setCtRatio).toBeGreaterThan(38);
    expect(r.setCtRatio).toBeLessThan(42);
  }, 30_000);

  it('names the one reversed CT from the per-phase powers', async () => {
    const r = await run(4);
    expect(r.verdict, r.message).toBe('sign');
    expect(r.message).toMatch(/sign reversed on L2/);
    expect(r.reversedPhases).toEqual([2]);
    expect(r.fixes).toHaveLength(1);
    expect(r.fixes[0]).toMatch(/CT2 of the main meter is reversed/);
  }, 30_000);

  it('finds the main meter from the plan (role grid) and refuses to guess without one', async () => {
    source = 1;
    await expect(b.engine.siteCrossCheck({ seconds: 2, p1Uid })).rejects.toThrow(
      /no main meter: mark the main meter .*or plan a Modbus meter with the role grid\/main/,
    );
    const planned = b.engine.sitePlan.create({ name: 'Cross-check site', installer: 'Anna Tech' }, true);
    b.engine.sitePlan.save({
      ...planned,
      devices: planned.devices.map((d) => (d.label === 'Main 1' ? { ...d, role: 'grid' as const } : d)),
    });
    const r = await b.engine.siteCrossCheck({ seconds: 2 });
    expect(r.main).toEqual({ uid: uids.get(1), label: 'Main 1' });
    expect(r.p1).toEqual({ uid: p1Uid, label: 'Utility meter' });
    expect(r.verdict, r.message).toBe('agree');
    // The meter marked main wins over the plan.
    const main3 = b.engine.store.config.loads({ did: uids.get(3)! })[0]!;
    b.engine.store.meterSettings.setMainLoad(main3.uid);
    source = 3;
    const marked = await b.engine.siteCrossCheck({ seconds: 2 });
    b.engine.store.meterSettings.setMainLoad(undefined);
    expect(marked.main.label).toBe('Main 3');
    expect(marked.verdict, marked.message).toBe('ratio');
  }, 30_000);

  it('puts every recorded cross-check in the commissioning report with its verdict and fix', async () => {
    const f = await b.engine.siteReport('html');
    if (f.format !== 'html') throw new Error('expected HTML');
    const section = f.html.slice(f.html.indexOf('<h2>Cross-check with the utility meter</h2>'));
    expect(section).toMatch(/at least 50 W/);
    expect(section).toMatch(/sign reversed: the main meter reads export where the P1 reads import/);
    expect(section).toMatch(/ratio off: the main meter reads ×0\.\d+ of the P1/);
    expect(section).toMatch(/sign reversed on L2/);
    expect(section).toMatch(/swap S1\/S2 of CT2/);
    expect(section).toMatch(/Main 3<br><span class="muted">against Utility meter/);
    expect(f.html).toMatch(/Cross-check with the utility meter<\/td><td><span class="(pass|fail)">/);
  }, 30_000);

  it('CLI: site cross-check exits 0 when the meters agree, 1 when it flags, 2 on a bad option', async () => {
    const db = b.engine.config.dbFile;
    source = 1;
    const good = await cli([
      'site',
      'cross-check',
      '--seconds',
      '2',
      '--main',
      String(uids.get(1)),
      '--db',
      db,
    ]);
    expect(good.code, good.err + good.out).toBe(0);
    expect(good.out).toMatch(/^AGREE {3}agree: P1 \d+ W import, main meter \d+ W import/);
    source = 3;
    const bad = await cli([
      'site',
      'cross-check',
      '--seconds',
      '2',
      '--main',
      String(uids.get(3)),
      '--db',
      db,
    ]);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/FLAGGED ratio off/);
    expect(bad.err).toMatch(/do not agree \(ratio\)/);
    expect((await cli(['site', 'cross-check', '--seconds', 'soon', '--db', db])).code).toBe(2);
    const notP1 = await cli(['site', 'cross-check', '--p1', String(uids.get(1)), '--db', db]);
    expect(notP1.code).toBe(1);
    expect(notP1.err).toMatch(/Main 1 is not a P1 meter/);
  }, 30_000);
});

describe('cross-check analysis', () => {
  const who = { p1: { uid: 1, label: 'P1' }, main: { uid: 2, label: 'Main' } };
  const noEnergy: CrossEnergy = { p1Wh: null, mainWh: null, mainResolutionWh: 1 };
  const pairs = (p1: number[], k: number | ((p: number) => number)): CrossSample[] =>
    p1.map((p, i) => ({ t: i, p1W: p, mainW: typeof k === 'number' ? p * k : k(p) }));
  const analyse = (samples: CrossSample[], energy = noEnergy) =>
    analyseCrossCheck({ at: 0, seconds: 60, ...who, samples, energy, ctRatio: null });

  it('states the tolerance: 5 % of the P1, at least 50 W', () => {
    expect(analyse(pairs([3000, 3000], (p) => p + 149)).verdict).toBe('agree');
    expect(analyse(pairs([3000, 3000], (p) => p + 151)).verdict).toBe('differs');
    expect(analyse(pairs([600, 600], (p) => p + 49)).verdict).toBe('agree');
    const r = analyse(pairs([600, 600], (p) => p + 80));
    expect(r.verdict).toBe('differs');
    expect(r.message).toMatch(/^differs by 13\.3 %/);
    expect(r.toleranceW).toBe(50);
  });

  it('tells a ratio (one factor throughout) from a difference no factor explains', () => {
    expect(analyse(pairs([1000, 2000, 3000], 2)).verdict).toBe('ratio');
    expect(analyse(pairs([1000, 2000, 3000], 2)).message).toMatch(/×2\.00/);
    // An offset (a circuit the main meter does not see) is no factor: 1000 W more whatever flows.
    const offset = analyse(pairs([1000, 2000, 3000, 500], (p) => p - 1000));
    expect(offset.verdict).toBe('differs');
  });

  it('is inconclusive with too little power through the connection, and with no reading at all', () => {
    const r = analyse(pairs([100, 120], 1));
    expect(r).toMatchObject({ verdict: 'inconclusive', ok: false });
    expect(r.fixes[0]).toMatch(/switch on a load/);
    expect(analyse([]).verdict).toBe('inconclusive');
  });

  it('flags energy counters that moved differently while the powers agree; too small a movement is not compared', () => {
    const ok = pairs([2000, 2000], 1);
    expect(analyse(ok, { p1Wh: 33, mainWh: 33.5, mainResolutionWh: 0.1 }).verdict).toBe('agree');
    const off = analyse(ok, { p1Wh: 33, mainWh: -33, mainResolutionWh: 0.1 });
    expect(off.verdict).toBe('differs');
    expect(off.energy).toMatchObject({ compared: true, ok: false });
    // EM24 counters step 100 Wh: a minute moves them too little to judge.
    const coarse = analyse(ok, { p1Wh: 33, mainWh: 0, mainResolutionWh: 100 });
    expect(coarse.verdict).toBe('agree');
    expect(coarse.energy.compared).toBe(false);
  });
});
