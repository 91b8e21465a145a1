import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SampleBatch, TreeDevice } from '../../src-preload/contract/index.js';
import { rig, simMeter, type Rig } from './rig.js';

const data = <T>(r: { ok: boolean; data?: unknown; message?: string }): T => {
  if (!r.ok) throw new Error(`call failed: ${r.message}`);
  return r.data as T;
};

describe('tree handlers against a polled simulator', () => {
  let r: Rig;
  let sim: Awaited<ReturnType<typeof simMeter>>;
  let dev: TreeDevice;
  beforeAll(async () => {
    r = await rig();
    sim = await simMeter('eastron-sdm630', 3);
    const changed = r.next('config.changed');
    dev = data<TreeDevice>(
      await r.call('device.add', {
        model: 'eastron-sdm630',
        connection: { host: '127.0.0.1', port: sim.port, unit: 3, model: 'eastron-sdm630' },
        label: 'Bench SDM630',
      }),
    );
    expect((await changed).reason).toBe('device added');
  });
  afterAll(async () => {
    await r.close();
    await sim.sim.stop();
  });

  it('adds a device from a library model with named signals, and polls it', async () => {
    expect(dev.label).toBe('Bench SDM630');
    const signals = dev.loads[0]?.signals ?? [];
    expect(signals.find((s) => s.key === 'voltage_l1')?.name).toBe('Voltage L1-N');
    const batch: SampleBatch = await r.next('samples', (b) =>
      b.uid.some((u) => signals.some((s) => s.uid === u)),
    );
    // Columnar: one array per field, equally long.
    expect(new Set([batch.uid.length, batch.t.length, batch.v.length, batch.s.length]).size).toBe(1);
    const status = await r.next('status', (l) => l.some((s) => s.uid === dev.uid && s.state === 'online'));
    expect(status.find((s) => s.uid === dev.uid)?.lastError).toBeNull();
    const tree = data<TreeDevice[]>(await r.call('config.tree', { protocol: 'tcp' }));
    expect(tree.map((d) => d.uid)).toEqual([dev.uid]);
    expect(data<TreeDevice[]>(await r.call('config.tree', { protocol: 'rtu' }))).toEqual([]);
  });

  it('renames, disables (polling stops) and enables (polling restarts) a device', async () => {
    expect(
      data<{ label: string }>(await r.call('device.update', { uid: dev.uid, label: 'Bench meter' })).label,
    ).toBe('Bench meter');
    await r.call('device.update', { uid: dev.uid, enable: false });
    expect(r.rt.engine.poller.status(dev.uid)).toEqual([]);
    await r.call('device.update', { uid: dev.uid, enable: true, pollMs: 500 });
    await r.next('status', (l) => l.some((s) => s.uid === dev.uid && s.state === 'online'));
    expect(r.rt.engine.store.config.device(dev.uid)?.pollMs).toBe(500);
  });

  it('disables a signal and a load, which restarts polling without them', async () => {
    const load = dev.loads[0];
    const sig = load?.signals[0];
    if (!load || !sig) throw new Error('no load');
    expect(
      data<{ enable: boolean }>(await r.call('signal.update', { uid: sig.uid, enable: false })).enable,
    ).toBe(false);
    expect(
      data<{ type: number }>(await r.call('load.update', { uid: load.uid, type: 2, label: 'Grid' })).type,
    ).toBe(2);
    await r.call('load.update', { uid: load.uid, enable: false });
    expect(r.rt.engine.poller.status(dev.uid)[0]).toBeDefined();
    await r.call('load.update', { uid: load.uid, enable: true });
    const later: SampleBatch = await r.next('samples', (b) =>
      b.uid.some((u) => load.signals.some((s) => s.uid === u)),
    );
    expect(later.uid).not.toContain(sig.uid);
  });

  it('sets a signal deadband through signal.update, refuses bad ones, and keeps it in the tree', async () => {
    const sig = dev.loads[0]!.signals.find((s) => s.key === 'voltage_l1')!;
    const set = data<{ deadband?: unknown }>(
      await r.call('signal.update', { uid: sig.uid, deadband: { delta: 0.5, maxGapS: 600 } }),
    );
    expect(set.deadband).toEqual({ delta: 0.5, maxGapS: 600 });
    const tree = data<TreeDevice[]>(await r.call('config.tree'));
    const inTree = tree[0]!.loads[0]!.signals.find((s) => s.uid === sig.uid);
    expect(inTree?.deadband).toEqual({ delta: 0.5, maxGapS: 600 });
    for (const bad of [
      { delta: -1, maxGapS: 60 },
      { delta: 1, maxGapS: 0 },
      { delta: 1, maxGapS: 1.5 },
      { delta: 1 },
    ])
      expect(await r.call('signal.update', { uid: sig.uid, deadband: bad } as never)).toMatchObject({
        ok: false,
        code: 'bad_request',
      });
    expect(
      data<{ deadband?: unknown }>(await r.call('signal.update', { uid: sig.uid, deadband: null })).deadband,
    ).toBeUndefined();
  });

  it('reports history as columns and refuses ranges a chart cannot hold', async () => {
    const uid = dev.loads[0]?.signals.find((s) => s.key === 'active_power')?.uid ?? 0;
    const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
    r.rt.engine.store.samples.importSamples(
      Array.from({ length: 30 }, (_, i) => ({ uid, t: t0 + i * 20_000, v: 100 + i })),
    );
    const [h] = data<{ uid: number; p: number[]; v: number[]; min: number[]; max: number[] }[]>(
      await r.call('history.get', { uids: [uid], start: t0, end: t0 + 600_000 }),
    );
    expect(h?.p).toHaveLength(10);
    expect(h?.min[0]).toBe(100);
    expect(h?.max[0]).toBe(102);
    expect(await r.call('history.get', { uids: [uid], start: 0, end: Date.now() })).toMatchObject({
      ok: false,
      code: 'bad_request',
      message: expect.stringMatching(/14 days/),
    });
    expect(await r.call('history.get', { uids: [99_999], start: t0, end: t0 + 1 })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
  });

  it('removes a device and stops polling it', async () => {
    expect(data<{ removed: boolean }>(await r.call('device.remove', { uid: dev.uid }))).toEqual({
      removed: true,
    });
    expect(r.rt.engine.poller.status(dev.uid)).toEqual([]);
    expect(data<{ removed: boolean }>(await r.call('device.remove', { uid: dev.uid }))).toEqual({
      removed: false,
    });
  });
});
