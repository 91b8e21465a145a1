import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlannedDevice } from '../../src-preload/contract/site.js';
import { site, siteBench, type SiteBench } from './fixture.js';
import { cli } from './helpers.js';

/**
 * A plan against a real RS485 line (socat pty, simulated meters with their own serial numbers) and a
 * pymodbus Modbus TCP slave: every outcome — right, different, missing, matched by serial, unplanned —
 * then one job that writes the plan and adds the meters, and the check again.
 */
describe('plan against the wire', () => {
  let b: SiteBench;
  beforeAll(async () => {
    b = await siteBench(
      [
        { model: 'cg-em24-rs485', unit: 1, serial: 'EM24A00001' },
        { model: 'cg-em340-et340', unit: 2, serial: 'EM340B0002' },
        { model: 'cg-em24-rs485', unit: 3, serial: 'EM24C00003' },
        { model: 'cg-em340-et340', unit: 4, serial: 'EM340D0004' },
        { model: 'eastron-sdm630', unit: 5, serial: '55500005' },
      ],
      { pymodbusSdm630: true },
    );
    const bus = { ...b.line, kind: 'serial' as const };
    const devices: PlannedDevice[] = [
      {
        label: 'Grid main',
        model: 'cg-em24-rs485',
        bus,
        unit: 1,
        role: 'grid',
        ctRatio: 40,
        system: '3P.N',
        settings: { demand_interval: 15 },
      },
      { label: 'PV', model: 'cg-em340-et340', bus, unit: 2, role: 'production' },
      { label: 'Heat pump', model: 'cg-em540', bus, unit: 3, role: 'consumption' },
      {
        label: 'Moved',
        model: 'cg-em340-et340',
        bus,
        unit: 9,
        serialNumber: 'EM340D0004',
        role: 'sub-meter',
      },
      { label: 'Garage', model: 'cg-em340-et340', bus, unit: 7, role: 'sub-meter' },
      {
        label: 'Workshop',
        model: 'eastron-sdm630',
        bus: { kind: 'tcp', host: '127.0.0.1', port: b.pymodbus!.port },
        unit: 1,
        serialNumber: '12345678',
        role: 'consumption',
        system: '3P.N',
      },
    ];
    b.engine.sitePlan.save(site(devices));
  }, 30_000);
  afterAll(async () => b?.close());

  it('says per planned device: found and right, found with differences, or missing; and what is unplanned', async () => {
    const check = await b.engine.site.checkPlan();
    const by = Object.fromEntries(check.matches.map((m) => [m.label, m]));
    expect(by['Grid main']).toMatchObject({ outcome: 'differs', matchedBy: 'address' });
    expect(by['Grid main']!.wire).toMatchObject({
      model: 'cg-em24-rs485',
      serialNumber: 'EM24A00001',
      system: '3P.N',
    });
    expect(by['Grid main']!.differences).toEqual([
      { field: 'demand_interval', planned: 15, found: 1 },
      { field: 'ct_ratio', planned: 40, found: 1 },
    ]);
    expect(by.PV).toMatchObject({ outcome: 'ok', differences: [] });
    expect(by['Heat pump']).toMatchObject({ outcome: 'differs' });
    expect(by['Heat pump']!.differences).toEqual([
      { field: 'model', planned: 'cg-em540', found: 'cg-em24-rs485' },
    ]);
    // Planned at unit 9 by serial number: only a scan sees it at unit 4 (below).
    expect(by.Moved).toMatchObject({ outcome: 'missing' });
    expect(by.Garage).toMatchObject({ outcome: 'missing', wire: null });
    expect(by.Workshop).toMatchObject({ outcome: 'differs', matchedBy: 'address' });
    expect(by.Workshop!.wire).toMatchObject({ serialNumber: '12345678', firmware: '258' });
    expect(by.Workshop!.differences).toEqual([{ field: 'system', planned: '3P.N', found: '3P' }]);
    expect(check.unplanned.map((w) => [w.unit, w.model, w.serialNumber])).toEqual([]);
    expect(check.ok).toBe(false);
  }, 60_000);

  it('lists a meter a scan found that is not planned', async () => {
    const scan = await b.engine.scanRtu({
      port: b.line.port,
      bauds: [9600],
      parities: ['none'],
      stopBits: [1],
      units: [4, 5, 6],
    });
    expect(scan.found.map((f) => f.connection.unit)).toEqual([4, 5]);
    const check = await b.engine.site.checkPlan({ scan: scan.found });
    expect(check.unplanned.map((w) => [w.unit, w.model, w.serialNumber, w.source])).toEqual([
      [5, 'eastron-sdm630', '55500005', 'scan'],
    ]);
    const by = Object.fromEntries(check.matches.map((m) => [m.label, m]));
    expect(by.Moved).toMatchObject({ outcome: 'differs', matchedBy: 'serial' });
    expect(by.Moved!.differences[0]).toMatchObject({
      field: 'address',
      found: `serial:${b.line.port} unit 4`,
    });
    expect(by.Moved!.wire!.source).toBe('scan');
  }, 60_000);

  it('writes the plan to every matching meter in one job, adds them with planned labels and roles, then checks right', async () => {
    const report = await b.engine.site.writePlan('tech-anna');
    const by = Object.fromEntries(report.meters.map((m) => [m.label, m]));
    expect(by['Grid main']!.added).toBe(true);
    expect(by['Grid main']!.write!.results.map((r) => [r.key, r.outcome, r.readBack])).toEqual(
      expect.arrayContaining([
        ['ct_ratio', 'ok', 40],
        ['demand_interval', 'ok', 15],
      ]),
    );
    expect(by.PV).toMatchObject({ added: true, write: null, skipped: null });
    expect(by['Heat pump']!.skipped).toMatch(/not the planned cg-em540/);
    expect(by.Garage!.skipped).toBe('not found on the wire');
    expect(by.Workshop!.write!.results).toEqual([
      expect.objectContaining({ key: 'system_type', old: 2, requested: 3, readBack: 3, outcome: 'ok' }),
    ]);
    expect(report.ok).toBe(false);
    const tree = b.engine.store.config.tree();
    const grid = tree.find((d) => d.label === 'Grid main')!;
    expect(grid.loads[0]).toMatchObject({ label: 'Grid main', type: 2 });
    expect(grid.loads[0]!.settings.meter).toMatchObject({ ct_ratio: 40, demand_interval: 15 });
    expect(tree.find((d) => d.label === 'PV')!.loads[0]!.type).toBe(1);
    expect(tree.find((d) => d.label === 'Workshop')!.system).toBe('3P.N');
    expect(b.meters.get(1)!.image.setting('ct_ratio')).toBe(40);
    const log = b.engine.configWriteLog({ did: grid.uid });
    expect(log.map((e) => [e.key, e.who, e.new, e.readback])).toEqual(
      expect.arrayContaining([['ct_ratio', 'tech-anna', 40, 40]]),
    );

    // Without a scan only planned and configured addresses are asked: the meter at unit 4 is not seen.
    const again = await b.engine.site.checkPlan();
    const outcomes = Object.fromEntries(again.matches.map((m) => [m.label, m.outcome]));
    expect(outcomes).toEqual({
      'Grid main': 'ok',
      PV: 'ok',
      'Heat pump': 'differs',
      Moved: 'missing',
      Garage: 'missing',
      Workshop: 'ok',
    });
    expect(again.matches.find((m) => m.label === 'Grid main')!.wire!.uid).toBe(grid.uid);
    const kinds = b.engine.store.site.results().map((r) => r.kind);
    expect(kinds).toEqual(expect.arrayContaining(['plan-check', 'write-plan', 'bus-health']));
  }, 90_000);

  it('site check from the command line: one line per planned device, exit 1 while the wire differs', async () => {
    const r = await cli(['site', 'check', '--db', b.engine.config.dbFile]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^OK {6}Grid main {2}Carlo Gavazzi EM24.* at serial:\S+ unit 1, s\/n EM24A00001$/m);
    expect(r.out).toMatch(/^MISSING Garage$/m);
    expect(r.out).toMatch(/^ {10}model: planned cg-em540, found cg-em24-rs485$/m);
    expect(r.err).toMatch(/the wire does not match the plan/);
    const bad = await cli(['site', 'check', '--scan', '/nonexistent.json', '--db', b.engine.config.dbFile]);
    expect(bad.code).toBe(1);
  }, 60_000);
});
