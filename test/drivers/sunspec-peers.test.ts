import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport } from '../../src-main/discovery/scan-types.js';
import { Engine } from '../../src-main/engine.js';
import { freePort } from '../../src-main/sim/demo-plant.js';
import { Store } from '../../src-main/store/store.js';
import { runCli, runCliHere } from '../helpers/cli.js';
import { ptyPair, startPymodbus, type PtyPair, type PymodbusSlave } from '../helpers/peers.js';
import { sunspecUnit } from '../helpers/sunspec-device.js';

// Each case spawns the real command against a pymodbus slave (seconds each on a loaded machine).
const SLOW = 120_000;

interface Reading {
  key: string;
  value: number | string | null;
  status: number;
}
const byKey = (readings: Reading[]): Map<string, Reading> => new Map(readings.map((r) => [r.key, r]));

describe('SunSpec devices served by pymodbus (TCP at 40000, 0 and 50000; RTU on a pty)', () => {
  let tcp: PymodbusSlave;
  let rtu: PymodbusSlave;
  let pty: PtyPair;
  let port: number;
  const dir = mkdtempSync(join(tmpdir(), 'ems-sunspec-'));
  const db = join(dir, 'ems.db');

  beforeAll(async () => {
    port = await freePort();
    tcp = await startPymodbus(
      { tcp: port },
      {
        1: sunspecUnit(40000, 'SS-1'),
        2: sunspecUnit(0, 'SS-2'),
        3: sunspecUnit(50000, 'SS-3'),
      },
    );
    pty = await ptyPair();
    rtu = await startPymodbus({ serial: pty.b }, { 7: sunspecUnit(40000) });
  }, SLOW);
  afterAll(() => {
    tcp?.stop();
    rtu?.stop();
    pty?.close();
  });

  it(
    'scan tcp names each SunSpec device from its Common model and lists its chain, wherever the marker is',
    async () => {
      const r = await runCli([
        'scan',
        'tcp',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--units',
        '1-3',
        '--json',
      ]);
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as ScanReport;
      expect(report.found.map((d) => d.connection.unit).sort()).toEqual([1, 2, 3]);
      for (const d of report.found) {
        expect(d.kind).toBe('meter');
        expect(d.model).toBe('sunspec');
        expect(d.vendor).toBe('SimSolar');
        expect(d.name).toBe('SIM-10K-3P');
        expect(d.variant).toBe('grid-A');
        expect(d.firmware).toBe('2.4.1');
        expect(d.serialNumber).toBe(`SS-${d.connection.unit}`);
        expect(d.sunspec?.models.map((m) => m.id)).toEqual([1, 103, 160, 64001, 203]);
        expect(d.sunspec?.models.find((m) => m.id === 64001)?.name).toBeUndefined();
        expect(d.note).toMatch(/64001 \(unknown, skipped\)/);
        expect(d.note).toMatch(/--model sunspec:203/);
      }
      const bases = Object.fromEntries(report.found.map((d) => [d.connection.unit, d.sunspec?.base]));
      expect(bases).toEqual({ 1: 40000, 2: 0, 3: 50000 });
      writeFileSync(join(dir, 'scan.json'), r.stdout);
    },
    SLOW,
  );

  it(
    'add --from-scan adds the inverter with its MPPT signals; the engine polls it scaled',
    async () => {
      const one = JSON.parse(readScan(dir)) as ScanReport;
      writeFileSync(
        join(dir, 'one.json'),
        JSON.stringify({ found: one.found.filter((d) => d.connection.unit === 1) }),
      );
      const r = await runCliHere(['add', '--from-scan', join(dir, 'one.json'), '--db', db, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const store = new Store({ file: db });
      try {
        const [tree] = store.config.tree();
        expect(tree?.model).toBe('sunspec');
        expect(tree?.label).toMatch(/SIM-10K-3P/);
        const keys = tree!.loads.flatMap((l) => l.signals.map((s) => s.key));
        expect(keys).toEqual(
          expect.arrayContaining(['active_power', 'energy_produced', 'dc_voltage', 'mppt2_power']),
        );
        expect(keys).not.toContain('energy_import'); // the meter is a device of its own (sunspec:203)
      } finally {
        store.close();
      }
      // The engine adds the same scan result and its poller reads the device through the SunSpec driver.
      const engine = new Engine({ dbFile: join(dir, 'engine.db') });
      try {
        const tree = engine.addFromScan(one.found.find((d) => d.connection.unit === 1));
        const sig = (key: string) => tree.loads[0]!.signals.find((s) => s.key === key)!;
        const uids = ['voltage_l1', 'energy_produced', 'mppt2_voltage', 'apparent_power'].map(
          (k) => sig(k).uid,
        );
        await engine.poller.cycle(tree.uid);
        engine.store.samples.flush();
        const rt = new Map(engine.store.samples.realtime(uids).map((x) => [x.uid, x]));
        expect(rt.get(uids[0]!)?.v).toBe(230.1);
        expect(rt.get(uids[1]!)?.v).toBe(12345.67);
        expect(rt.get(uids[2]!)?.v).toBe(614.8);
        expect(rt.get(uids[3]!)).toMatchObject({ v: null, s: 2 });
      } finally {
        await engine.close();
      }
    },
    SLOW,
  );

  it(
    'read --model sunspec applies scale factors and reports unimplemented points as no value',
    async () => {
      const r = await runCliHere([
        'read',
        '--model',
        'sunspec',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--unit',
        '1',
        '--json',
      ]);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as { readings: Reading[] };
      const v = byKey(out.readings);
      expect(v.get('voltage_l1')?.value).toBe(230.1);
      expect(v.get('current_l2')?.value).toBe(6.08);
      expect(v.get('active_power')?.value).toBe(4210);
      expect(v.get('frequency')?.value).toBe(50.02);
      expect(v.get('power_factor')?.value).toBe(0.995);
      expect(v.get('energy_produced')?.value).toBe(12345.67);
      expect(v.get('dc_voltage')?.value).toBe(612.5);
      expect(v.get('cabinet_temperature')?.value).toBe(41.3);
      expect(v.get('inverter_state')?.value).toBe(4);
      expect(v.get('mppt1_voltage')?.value).toBe(610.2);
      expect(v.get('mppt2_current')?.value).toBe(3.54);
      // Not implemented in this inverter: no value, never 0x8000 or 0xFFFF as a number.
      for (const k of ['apparent_power', 'reactive_power', 'voltage_l1_l2'])
        expect(v.get(k), k).toEqual({ key: k, value: null, status: 2 });
    },
    SLOW,
  );

  it(
    'read --model sunspec:203 reads the meter behind the vendor model, at base 50000 too',
    async () => {
      for (const unit of ['1', '3']) {
        const r = await runCliHere([
          'read',
          '--model',
          'sunspec:203',
          '--host',
          '127.0.0.1',
          '--port',
          String(port),
          '--unit',
          unit,
          '--json',
        ]);
        expect(r.code, r.stderr).toBe(0);
        const v = byKey((JSON.parse(r.stdout) as { readings: Reading[] }).readings);
        expect(v.get('active_power')?.value).toBe(-1520);
        expect(v.get('current_l1')?.value).toBe(12.5);
        expect(v.get('voltage_l3')?.value).toBe(229.9);
        expect(v.get('power_factor')?.value).toBe(-0.975);
        expect(v.get('energy_import')?.value).toBe(5123.456);
        expect(v.get('energy_export')?.value).toBe(987.654);
        expect(v.get('energy_import_l1')).toEqual({ key: 'energy_import_l1', value: null, status: 2 });
      }
    },
    SLOW,
  );

  it(
    'over RTU: read, add and monitor with --model sunspec',
    async () => {
      const target = ['--port', pty.a, '--baud', '9600', '--unit', '7'];
      const r = await runCliHere(['read', '--model', 'sunspec', ...target, '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(
        byKey((JSON.parse(r.stdout) as { readings: Reading[] }).readings).get('active_power')?.value,
      ).toBe(4210);
      const add = await runCliHere(['add', '--model', 'sunspec:203', ...target, '--db', db]);
      expect(add.code, add.stderr).toBe(0);
      expect(add.stdout).toMatch(/added device \d+ "SIM-10K-3P #7"/);
      const mon = await runCliHere(['monitor', '--model', 'sunspec', ...target, '--count', '1']);
      expect(mon.code, mon.stderr).toBe(0);
      expect(mon.stdout).toMatch(/unit +7/);
    },
    SLOW,
  );

  it(
    'refuses what is not SunSpec, with the reason',
    async () => {
      const bad = await runCliHere([
        'read',
        '--model',
        'sunspec:999',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--unit',
        '1',
      ]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/not one the driver reads/);
      const none = await runCliHere([
        'read',
        '--model',
        'sunspec:204',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--unit',
        '1',
      ]);
      expect(none.code).toBe(1);
      expect(none.stderr).toMatch(/0 model 204 instance/);
    },
    SLOW,
  );
});

function readScan(dir: string): string {
  return readFileSync(join(dir, 'scan.json'), 'utf8');
}
