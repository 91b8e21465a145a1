import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src-main/engine.js';
import { freePort } from '../../src-main/sim/demo-plant.js';
import { serveTcp, SimulatedMeter, type RunningSim } from '../../src-main/sim/modbus-sim.js';
import { sleep } from '../helpers/peers.js';
import { addMeter, signal, tmpEngine } from './plant.js';

let engine: Engine | undefined;
const sims: RunningSim[] = [];
afterEach(async () => {
  await engine?.close();
  for (const s of sims.splice(0)) await s.stop().catch(() => undefined);
  engine = undefined;
});

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('virtual devices in the running engine', () => {
  it('computes house = main - pv and totals from two polled Modbus meters, r = 1, stale when one stops', async () => {
    const e = (engine = tmpEngine(true));
    const model = e.library.require('eastron-sdm630');
    const ports = [await freePort(), await freePort()] as const;
    sims.push(await serveTcp(new SimulatedMeter({ model, unit: 1, seed: 11 }), ports[0]));
    sims.push(await serveTcp(new SimulatedMeter({ model, unit: 1, seed: 29 }), ports[1]));
    const keys = ['active_power', 'energy_import', 'voltage_l1'];
    const main = addMeter(e, 'main', ports[0], keys);
    const pv = addMeter(e, 'pv', ports[1], keys);
    const mainP = signal(main, 'active_power').uid;
    const pvP = signal(pv, 'active_power').uid;
    const mainE = signal(main, 'energy_import').uid;
    const pvE = signal(pv, 'energy_import').uid;

    const house = e.addVirtualDevice({
      label: 'house',
      pollMs: 200,
      signals: [{ key: 'active_power', formula: `s${mainP} - s${pvP}` }],
    });
    const total = e.addVirtualDevice({
      label: 'total',
      pollMs: 200,
      signals: [
        { key: 'active_power', formula: `sum(s${mainP}, s${pvP})` },
        { key: 'energy_import', formula: `{${mainE}} + {${pvE}}` },
      ],
    });
    const outputs = [
      { uid: signal(house, 'active_power').uid, a: mainP, b: pvP, f: (a: number, b: number) => a - b },
      { uid: signal(total, 'active_power').uid, a: mainP, b: pvP, f: (a: number, b: number) => a + b },
      { uid: signal(total, 'energy_import').uid, a: mainE, b: pvE, f: (a: number, b: number) => a + b },
    ];
    expect(signal(total, 'energy_import').kind).toBe('counter');
    e.start();

    const rt = (uid: number) => e.store.samples.realtime([uid])[0];
    const count = (uid: number): number =>
      e.store.db.prepare('SELECT count(*) FROM samples WHERE uid = ?').pluck().get(uid) as number;
    await waitFor(
      () => outputs.every((o) => rt(o.uid)?.s === 1 && count(o.uid) >= 8),
      15_000,
      'computed values',
    );
    for (const o of outputs) expect(rt(o.uid)).toMatchObject({ r: 1, s: 1 });
    expect(rt(mainP)).toMatchObject({ r: 0, s: 1 });
    expect(e.poller.status(house.uid)[0]).toMatchObject({ state: 'online', lastError: null });

    // Each stored virtual sample at time T must equal the formula over the input values the store held
    // when it was computed: the latest input sample at or before T, or the one before it when the input
    // device's cycle landed between the virtual read and T.
    const before = e.store.db
      .prepare('SELECT v FROM samples WHERE uid = ? AND t <= ? ORDER BY t DESC LIMIT 2')
      .pluck();
    let checked = 0;
    for (const o of outputs) {
      const rows = e.store.db.prepare('SELECT t, v FROM samples WHERE uid = ? ORDER BY t').all(o.uid) as {
        t: number;
        v: number;
      }[];
      for (const row of rows) {
        const as = before.all(o.a, row.t) as number[];
        const bs = before.all(o.b, row.t) as number[];
        const match = as.some((a) =>
          bs.some((b) => Math.abs(o.f(a, b) - row.v) <= 1e-9 * Math.max(1, Math.abs(row.v))),
        );
        expect(match, `s${o.uid} = ${row.v} at ${row.t} from s${o.a} ∈ [${as}] and s${o.b} ∈ [${bs}]`).toBe(
          true,
        );
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(24);
    // The simulated loads move: a constant or zero result would not prove the formula.
    const houseValues = new Set(
      e.store.db.prepare('SELECT v FROM samples WHERE uid = ?').pluck().all(outputs[0]!.uid) as number[],
    );
    expect(houseValues.size).toBeGreaterThan(1);

    await sims[1]!.stop();
    await waitFor(() => outputs.every((o) => rt(o.uid)?.s === 0), 15_000, 'stale virtual values');
    for (const o of outputs) expect(rt(o.uid)).toMatchObject({ s: 0, r: 1 });
    expect(rt(mainP)?.s, 'the main meter itself is fine').toBe(1);
    expect(e.poller.status(house.uid)[0]?.lastError).toContain(`s${pvP} is stale`);
  });
});
