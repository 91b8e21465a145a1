import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ConfigWriteReport,
  DeviceCheck,
  LoadConfigView,
  ScanFinished,
  TreeDevice,
} from '../../src-preload/contract/index.js';
import { rig, simMeter, type Rig } from './rig.js';

const data = <T>(r: { ok: boolean; data?: unknown; message?: string }): T => {
  if (!r.ok) throw new Error(`call failed: ${r.message}`);
  return r.data as T;
};

describe('discovery and meter settings through the contract', () => {
  let r: Rig;
  let sim: Awaited<ReturnType<typeof simMeter>>;
  beforeAll(async () => {
    r = await rig();
    sim = await simMeter('cg-em24-rs485', 4);
  });
  afterAll(async () => {
    await r.close();
    await sim.sim.stop();
  });

  let added: TreeDevice;

  it('scans TCP with progress events, finds the meter with a first reading, and adds it', async () => {
    const progress = r.next('discovery.progress');
    const found = r.next('discovery.found');
    const start = data<{ scanId: string; total: number }>(
      await r.call('discovery.start', {
        protocol: 'tcp',
        hosts: ['127.0.0.1'],
        port: sim.port,
        units: { from: 3, to: 5 },
      }),
    );
    expect(start.total).toBe(3);
    const finished: ScanFinished = await r.next(
      'discovery.finished',
      (f) => f.scanId === start.scanId,
      30_000,
    );
    expect((await progress).scanId).toBe(start.scanId);
    expect((await found).device.unit).toBe(4);
    expect(finished.outcome).toBe('done');
    expect(finished.found).toHaveLength(1);
    const f = finished.found[0];
    expect(f).toMatchObject({
      kind: 'meter',
      model: 'cg-em24-rs485',
      unit: 4,
      settings: `127.0.0.1:${sim.port}`,
    });
    expect(f?.firstValues.find((v) => v.key === 'voltage_l1')).toMatchObject({
      name: 'Voltage L1-N',
      unit: 'V',
    });
    added = data<TreeDevice>(await r.call('discovery.add', { id: f?.id ?? '', label: 'EM24 from scan' }));
    expect(added).toMatchObject({
      label: 'EM24 from scan',
      model: 'cg-em24-rs485',
      connection: { unit: 4, port: sim.port },
    });
    expect(await r.call('discovery.add', { id: 'nope/0' })).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('cancels a scan and says so', async () => {
    const start = data<{ scanId: string }>(
      await r.call('discovery.start', {
        protocol: 'tcp',
        hosts: ['127.0.0.1'],
        port: sim.port,
        units: { from: 0, to: 255 },
      }),
    );
    expect(data<{ cancelled: boolean }>(await r.call('discovery.cancel', { scanId: start.scanId }))).toEqual({
      cancelled: true,
    });
    const end: ScanFinished = await r.next('discovery.finished', (x) => x.scanId === start.scanId, 30_000);
    expect(end.outcome).toBe('cancelled');
    expect(
      await r.call('discovery.start', {
        protocol: 'tcp',
        hosts: ['10.0.0.0/8'],
        port: 502,
        units: { from: 1, to: 1 },
      }),
    ).toMatchObject({
      ok: false,
      code: 'bad_request',
      message: expect.stringMatching(/limit is a \/16/),
    });
  });

  it('reads the settings form from descriptors and writes with read-back', async () => {
    const lid = added.loads[0]?.uid ?? 0;
    const view = data<LoadConfigView>(await r.call('loadconfig.read', { lid }));
    const demand = view.fields.find((f) => f.key === 'demand_interval');
    expect(demand).toMatchObject({ kind: 'number', unit: 'min', min: 1, max: 30, step: 1 });
    expect(view.fields.find((f) => f.key === 'system_type')?.choices?.length).toBeGreaterThan(1);
    expect(view.fields.some((f) => f.kind === 'command')).toBe(true);
    const next = demand?.value === 10 ? 20 : 10;
    const changed = r.next('config.changed', (c) => c.reason === 'meter settings written');
    const report = data<ConfigWriteReport>(
      await r.call('loadconfig.write', { lid, values: { demand_interval: next } }),
    );
    expect(report.ok).toBe(true);
    expect(report.results[0]).toMatchObject({
      key: 'demand_interval',
      old: demand?.value,
      requested: next,
      readBack: next,
      outcome: 'ok',
    });
    await changed;
    expect(sim.meter.image.config.get('demand_interval')).toBe(next);
  });

  it('explains a refusal: a locked keypad, and a value outside the range', async () => {
    const lid = added.loads[0]?.uid ?? 0;
    sim.meter.image.locked = true;
    try {
      const report = data<ConfigWriteReport>(
        await r.call('loadconfig.write', { lid, values: { demand_interval: 15 } }),
      );
      expect(report.ok).toBe(false);
      expect(report.results[0]?.outcome).toBe('refused');
      expect(report.results[0]?.message).toMatch(/front selector is in the locked position/);
    } finally {
      sim.meter.image.locked = false;
    }
    expect(await r.call('loadconfig.write', { lid, values: { demand_interval: 99 } })).toMatchObject({
      ok: false,
      code: 'bad_request',
      message: expect.stringMatching(/demand_interval/),
    });
  });

  it('checks a device against the meter and reports findings in words', async () => {
    const check = data<DeviceCheck>(await r.call('device.check', { uid: added.uid }));
    expect(check).toMatchObject({ uid: added.uid, answered: true });
    expect(check.summary).toMatch(/EM24/);
    for (const f of check.findings) expect(f.message.length).toBeGreaterThan(5);
  });
});
