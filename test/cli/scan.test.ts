import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLibrary } from '../../src-main/devices/library.js';
import type { ScanReport } from '../../src-main/discovery/scan-types.js';
import { freePort } from '../../src-main/sim/demo-plant.js';
import { SimulatedMeter } from '../../src-main/sim/modbus-sim.js';
import { serveSerialBus, serveTcpBus, type RunningBus } from '../../src-main/sim/sim-bus-servers.js';
import { SimulatedBus } from '../../src-main/sim/sim-bus.js';
import { Store } from '../../src-main/store/store.js';
import { runCli } from '../helpers/cli.js';
import { ptyPair, type PtyPair } from '../helpers/peers.js';

const library = loadLibrary();
const em24 = library.require('cg-em24-rs485');
const sdm = library.require('eastron-sdm630');

// Each case spawns the real command (several seconds each on a loaded machine).
const SLOW = 120_000;

describe('commissioning from the command line, against simulated meters on a pty and on TCP', () => {
  let pty: PtyPair;
  let rtu: RunningBus;
  let tcp: RunningBus;
  let tcpPort: number;
  let em24Meter: SimulatedMeter;
  const dir = mkdtempSync(join(tmpdir(), 'ems-cli-scan-'));
  const db = join(dir, 'ems.db');

  beforeAll(async () => {
    pty = await ptyPair();
    em24Meter = new SimulatedMeter({ model: em24, unit: 2 });
    const faulty = new SimulatedMeter({ model: sdm, unit: 4, faults: { reversedCt: 3 } });
    rtu = await serveSerialBus(new SimulatedBus([em24Meter, faulty]), pty.b);
    tcpPort = await freePort();
    tcp = await serveTcpBus(
      new SimulatedBus([new SimulatedMeter({ model: sdm, unit: 1 })], { anyUnit: true }),
      tcpPort,
    );
  });
  afterAll(async () => {
    await rtu?.stop();
    await tcp?.stop();
    pty?.close();
  }, SLOW);

  it(
    'scan rtu finds both meters, with progress on stderr and the report as JSON',
    async () => {
      const r = await runCli([
        'scan',
        'rtu',
        '--port',
        pty.a,
        '--baud',
        '9600',
        '--parity',
        'none',
        '--units',
        '1-6',
        '--json',
      ]);
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as ScanReport;
      expect(report.found.map((d) => [d.connection.unit, d.model, d.kind])).toEqual([
        [2, 'cg-em24-rs485', 'meter'],
        [4, 'eastron-sdm630', 'meter'],
      ]);
      expect(r.stderr).toMatch(/scanning 9600 8N1 unit \d+ +\d+\/6/);
      writeFileSync(join(dir, 'scan.json'), r.stdout);
    },
    SLOW,
  );

  it(
    'add --from-scan puts the found meters into the configuration',
    async () => {
      const r = await runCli(['add', '--from-scan', join(dir, 'scan.json'), '--db', db]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/added device \d+ "EM24-DIN \(RS485\) #2" \(cg-em24-rs485, 3P.N\)/);
      expect(r.stdout).toMatch(/added device \d+ .*eastron-sdm630/);
      const store = new Store({ file: db });
      try {
        const devices = store.config.devices();
        expect(devices.map((d) => d.connection)).toEqual([
          { port: pty.a, baud: 9600, parity: 'none', stopBits: 1, unit: 2, model: 'cg-em24-rs485' },
          { port: pty.a, baud: 9600, parity: 'none', stopBits: 1, unit: 4, model: 'eastron-sdm630' },
        ]);
        expect(store.config.signals({ did: devices[0]!.uid }).length).toBe(em24.signals.length);
      } finally {
        store.close();
      }
      const bad = await runCli(['add', '--from-scan', join(dir, 'nope.json'), '--db', db]);
      expect(bad.code).toBe(1);
      writeFileSync(join(dir, 'junk.json'), '{"found":[{"kind":"meter"}]}');
      const junk = await runCli(['add', '--from-scan', join(dir, 'junk.json'), '--db', db]);
      expect(junk.code).toBe(2);
      expect(junk.stderr).toMatch(/is not valid/);
    },
    SLOW,
  );

  it(
    'configure writes settings, logs them, and refuses bad values and a locked meter in words',
    async () => {
      const target = ['--model', 'cg-em24-rs485', '--port', pty.a, '--unit', '2', '--db', db];
      const ok = await runCli([
        'configure',
        ...target,
        '--set',
        'ct_ratio=40',
        '--set',
        'measuring_mode=H',
        '--who',
        'tech-c',
        '--json',
      ]);
      expect(ok.code, ok.stderr).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, written: ['measuring_mode', 'ct_ratio'] });
      expect(em24Meter.image.config.get('ct_ratio')).toBe(400);
      const store = new Store({ file: db });
      try {
        const log = store.configWrites.list();
        expect(log.map((e) => [e.key, e.who, e.outcome, e.readback])).toEqual([
          ['ct_ratio', 'tech-c', 'ok', 40],
          ['measuring_mode', 'tech-c', 'ok', 7],
        ]);
        expect(log[0]?.did).toBe(store.config.devices()[0]?.uid);
      } finally {
        store.close();
      }
      const bad = await runCli(['configure', ...target, '--set', 'ct_ratio=0']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/ct_ratio: 0 is below the minimum 1/);

      em24Meter.image.locked = true;
      try {
        const locked = await runCli(['configure', ...target, '--set', 'ct_ratio=50']);
        expect(locked.code).toBe(1);
        expect(locked.stderr).toMatch(/front selector is in the locked position/);
      } finally {
        em24Meter.image.locked = false;
      }
      const read = await runCli(['configure', '--model', 'cg-em24-rs485', '--port', pty.a, '--unit', '2']);
      expect(read.stdout).toMatch(/ct_ratio\s+40/);
      expect(read.stdout).toMatch(/measuring_mode\s+7 = H/);
    },
    SLOW,
  );

  it(
    'check: a clean meter passes, a reversed CT fails with the fix in words',
    async () => {
      const clean = await runCli(['check', '--model', 'cg-em24-rs485', '--port', pty.a, '--unit', '2']);
      expect(clean.code, clean.stderr).toBe(0);
      expect(clean.stdout).toMatch(/wiring and setup look right/);
      const store = new Store({ file: db });
      const sdmUid = store.config.devices().find((d) => d.model === 'eastron-sdm630')!.uid;
      store.close();
      const bad = await runCli(['check', String(sdmUid), '--db', db]);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toMatch(/ERROR L3: L3 active power is negative .* on a consumption load/);
      expect(bad.stdout).toMatch(/→ the L3 CT is probably mounted backwards/);
    },
    SLOW,
  );

  it(
    'monitor prints every frame with its decoded function, and the statistics',
    async () => {
      const r = await runCli([
        'monitor',
        '--model',
        'eastron-sdm630',
        '--port',
        pty.a,
        '--unit',
        '4',
        '--count',
        '1',
      ]);
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.trim().split('\n');
      expect(
        lines.some((l) => /\d\d:\d\d:\d\d\.\d{3}\s+tx\s+unit\s+4\s+Read input registers 0x0000/.test(l)),
      ).toBe(true);
      expect(
        lines.some((l) => /\s+rx\s+unit\s+4\s+Read input registers: \d+ registers\s+[\d.]+ ms\s+ok/.test(l)),
      ).toBe(true);
      expect(r.stderr).toMatch(/unit 4: \d+ requests, 0 errors/);
    },
    SLOW,
  );

  it(
    'scan tcp finds a plain device once, and scan --monitor shows the frames',
    async () => {
      const r = await runCli(['scan', 'tcp', '--host', '127.0.0.1', '--port', String(tcpPort), '--monitor']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/1 device\(s\) answered, 1 identified as meters/);
      expect(r.stdout).toMatch(/127\.0\.0\.1:\d+ unit 1 +Eastron SDM630/);
      expect(r.stdout).toMatch(/answers for every unit id/);
      expect(r.stderr).toMatch(/tx\s+unit\s+2\s+Read holding registers 0x000B ×1/);
    },
    SLOW,
  );

  it(
    'bad usage exits 2 with a one-line reason',
    async () => {
      for (const args of [
        ['scan'],
        ['scan', 'rtu'],
        ['scan', 'rtu', '--port', pty.a, '--parity', 'mark'],
        ['scan', 'tcp', '--host', '10.0.0.0/8'],
        ['configure', '--model', 'cg-em24-rs485', '--port', pty.a, '--unit', '2', '--set', 'nonsense'],
        ['check'],
      ]) {
        const r = await runCli(args, undefined, { EMS_DB: db });
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr).not.toMatch(/\n\s+at /);
      }
    },
    SLOW,
  );
});
