import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlannedDevice } from '../../src-preload/contract/site.js';
import { evaluateLoadStep, stepSnapshot } from '../../src-main/site/load-step-run.js';
import type { StepReadings } from '../../src-main/site/load-step.js';
import { gatherReport } from '../../src-main/site/report-data.js';
import { dbFile, site, siteBench, type SiteBench } from './fixture.js';
import { cli, tmpDir } from './helpers.js';

const OUTPUT = join(import.meta.dirname, '..', 'output');

/**
 * The commissioning report from a site commissioned for real: simulated meters on an RS485 line
 * (socat pty) and a pymodbus SDM630 over Modbus TCP, the plan written, wiring checked, one load-step
 * test (CT2 reversed on the grid meter). Then `report --out` as HTML and as PDF (system Chromium), the
 * PDF read back with pdftotext and page 1 rendered to a PNG under test/output/.
 */
describe('commissioning report', () => {
  let b: SiteBench;
  const dir = tmpDir();
  beforeAll(async () => {
    b = await siteBench(
      [
        { model: 'cg-em24-rs485', unit: 1, serial: 'EM24A00001', wiring: { reversed: [2] } },
        { model: 'cg-em340-et340', unit: 2, serial: 'EM340B0002' },
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
        settings: { demand_interval: 15 },
      },
      { label: 'PV <roof>', model: 'cg-em340-et340', bus, unit: 2, role: 'production' },
      {
        label: 'Workshop',
        model: 'eastron-sdm630',
        bus: { kind: 'tcp', host: '127.0.0.1', port: b.pymodbus!.port },
        unit: 1,
        role: 'consumption',
        system: '3P.N',
      },
      { label: 'Garage', model: 'cg-em340-et340', bus, unit: 7, role: 'sub-meter', serialNumber: 'GAR-777' },
    ];
    const s = site(devices);
    b.engine.sitePlan.save({ ...s, site: { ...s.site, name: 'Farm <North> & "Sons"' } });
    await b.engine.site.checkPlan();
    const written = await b.engine.site.writePlan('tech-anna');
    expect(written.meters.filter((m) => m.write?.ok).map((m) => m.label)).toEqual(['Grid main', 'Workshop']);
    await b.engine.site.checkPlan();
    await b.engine.site.checkWiring();
    const grid = b.engine.store.config.devices().find((d) => d.label === 'Grid main')!;
    const steps: StepReadings[] = [];
    for (const phase of [1, 2, 3] as const) {
      const before = await stepSnapshot(b.engine.site, grid.uid);
      b.conditions.get(1)!.switchLoad(phase, 2000);
      const during = await stepSnapshot(b.engine.site, grid.uid);
      b.conditions.get(1)!.switchLoad(phase, 0);
      const after = await stepSnapshot(b.engine.site, grid.uid);
      steps.push({ phase, before, during, after });
    }
    await evaluateLoadStep(b.engine.site, grid.uid, steps);
  }, 120_000);
  afterAll(async () => b?.close());

  it('gathers every device with model, part number, serial, firmware, address and bus', () => {
    const d = gatherReport(b.engine);
    const by = Object.fromEntries(d.devices.map((x) => [x.label, x]));
    expect(Object.keys(by)).toEqual(['Grid main', 'PV <roof>', 'Workshop', 'Garage']);
    expect(by['Grid main']).toMatchObject({
      model: 'cg-em24-rs485',
      serialNumber: 'EM24A00001',
      address: 'unit 1',
      planOutcome: 'ok',
      role: 'grid',
    });
    expect(by['Grid main']!.partNumber).toBeTruthy();
    expect(by['Grid main']!.bus).toBe(`Modbus RTU ${b.line.port}, 9600 baud, 8N1`);
    expect(by.Workshop).toMatchObject({ serialNumber: '12345678', firmware: '258', system: '3P.N' });
    expect(by.Workshop!.bus).toBe(`Modbus TCP 127.0.0.1:${b.pymodbus!.port}`);
    expect(by.Garage).toMatchObject({ uid: null, planOutcome: 'missing', serialNumber: 'GAR-777 (planned)' });
    expect(d.writes.map((w) => [w.device, w.key, w.old, w.new, w.readback, w.who])).toEqual(
      expect.arrayContaining([
        ['Grid main', 'ct_ratio', 1, 40, 40, 'tech-anna'],
        ['Grid main', 'demand_interval', 1, 15, 15, 'tech-anna'],
        ['Workshop', 'system_type', 2, 3, 3, 'tech-anna'],
      ]),
    );
    expect(d.loadSteps).toHaveLength(1);
    expect(d.loadSteps[0]!.steps.map((s) => s.verdicts)).toEqual([['pass'], ['reversed'], ['pass']]);
    expect(d.health.find((h) => h.device === 'Grid main')!.requests).toBeGreaterThan(0);
    expect(d.values.find((v) => v.label === 'Grid main')!.rows.map((r) => r.key)).toContain('voltage_l1');
  });

  it('writes one self-contained HTML file, every string escaped', async () => {
    const out = join(dir, 'report.html');
    const r = await cli(['report', '--out', out, '--db', b.engine.config.dbFile]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^wrote .*report\.html \(HTML, \d+ bytes\)$/m);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('Farm &lt;North&gt; &amp; &quot;Sons&quot;');
    expect(html).toContain('PV &lt;roof&gt;');
    expect(html).not.toContain('<roof>');
    // Nothing fetched from anywhere: no script, no link, no external URL.
    expect(html).not.toMatch(/<script|<link|<img|\bsrc=|\burl\(|https?:\/\//i);
    expect(html).toContain('@page { size: A4');
    expect(html).toMatch(/swap S1\/S2 of CT2/);
  }, 60_000);

  it('prints the PDF with the system Chromium: every label, part number, serial and written value in its text', async () => {
    mkdirSync(OUTPUT, { recursive: true });
    const out = join(OUTPUT, 'site-report.pdf');
    const r = await cli(['report', '--out', out, '--db', b.engine.config.dbFile, '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ file: out, format: 'pdf' });
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' });
    const d = gatherReport(b.engine);
    for (const dev of d.devices) {
      expect(text).toContain(dev.label);
      if (dev.partNumber) expect(text).toContain(dev.partNumber);
      // A serial only planned shows as "GAR-777 (planned)", which the table may wrap after the number.
      if (dev.serialNumber) expect(text).toContain(dev.serialNumber.split(' ')[0]);
    }
    expect(text).toContain('Farm <North> & "Sons"');
    expect(text).toMatch(/ct_ratio\s+1\s*→\s*40\s+40\s+ok\s+tech-anna/);
    expect(text).toMatch(/demand_interval\s+1\s*→\s*15\s+15\s+ok\s+tech-anna/);
    expect(text).toMatch(/system_type\s+2\s*→\s*3\s+3\s+ok\s+tech-anna/);
    expect(text).toMatch(/Installer: Anna Tech/);
    expect(text).toMatch(/Customer: ACME/);
    const png = join(OUTPUT, 'site-report-page1');
    execFileSync('pdftoppm', ['-png', '-r', '72', '-f', '1', '-l', '1', '-singlefile', out, png]);
    expect(statSync(`${png}.png`).size).toBeGreaterThan(10_000);
  }, 90_000);

  it('refuses bad usage with exit 2 and a missing site with exit 1, one line each', async () => {
    const ext = await cli(['report', '--out', join(dir, 'x.docx'), '--db', b.engine.config.dbFile]);
    expect(ext.code).toBe(2);
    expect(ext.err.trim().split('\n')).toHaveLength(1);
    expect(ext.err).toMatch(/--out must end in \.pdf or \.html/);
    expect((await cli(['report', '--db', b.engine.config.dbFile])).code).toBe(2);
    expect((await cli(['report', 'extra', '--out', 'x.pdf'])).code).toBe(2);
    const empty = dbFile();
    const none = await cli(['report', '--out', join(dir, 'none.html'), '--db', empty]);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/no site yet/);
    expect(existsSync(join(dir, 'none.html'))).toBe(false);
    const unwritable = await cli([
      'report',
      '--out',
      '/nonexistent-dir/r.html',
      '--db',
      b.engine.config.dbFile,
    ]);
    expect(unwritable.code).toBe(1);
    expect(unwritable.err).toMatch(/cannot write/);
  }, 60_000);
});
