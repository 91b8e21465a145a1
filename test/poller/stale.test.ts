import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deviceFromModel } from '../../src-main/devices/instantiate.js';
import { Engine } from '../../src-main/engine.js';
import { freePort } from '../../src-main/sim/demo-plant.js';
import { serveTcp, SimulatedMeter, type RunningSim } from '../../src-main/sim/modbus-sim.js';
import { sleep } from '../helpers/peers.js';

let engine: Engine | undefined;
let sim: RunningSim | undefined;
afterEach(async () => {
  await engine?.close();
  await sim?.stop().catch(() => undefined);
  engine = sim = undefined;
});

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('poller', () => {
  it('stores live values, turns a silent device stale and recovers when it answers again', async () => {
    engine = new Engine({ dbFile: join(mkdtempSync(join(tmpdir(), 'ems-poll-')), 'ems.db') });
    const model = engine.library.require('eastron-sdm630');
    const port = await freePort();
    sim = await serveTcp(new SimulatedMeter({ model, unit: 1 }), port);
    const tree = engine.store.config.addDevice({
      ...deviceFromModel(model, { host: '127.0.0.1', port, unit: 1, model: model.id }, engine.catalogue),
      pollMs: 200,
    });
    engine.start();
    const voltage = tree.loads[0]!.signals.find((s) => s.key === 'voltage_l1')!;
    const rt = () => engine!.store.samples.realtime([voltage.uid])[0];
    await waitFor(() => rt()?.s === 1, 5000, 'first value');
    expect(rt()!.v).toBeGreaterThan(220);
    expect(engine.poller.status(tree.uid)[0]?.state).toBe('online');

    await sim.stop();
    await waitFor(() => rt()?.s === 0, 8000, 'stale status');
    expect(engine.poller.status(tree.uid)[0]?.state).toBe('stale');

    sim = await serveTcp(new SimulatedMeter({ model, unit: 1 }), port);
    const staleAt = rt()!.t;
    await waitFor(() => rt()?.s === 1 && rt()!.t > staleAt, 8000, 'recovery');
    expect(engine.poller.status(tree.uid)[0]?.state).toBe('online');
    const rows = engine.store.db
      .prepare('SELECT count(*) FROM samples WHERE uid = ?')
      .pluck()
      .get(voltage.uid) as number;
    expect(rows).toBeGreaterThan(1);
  });
});
