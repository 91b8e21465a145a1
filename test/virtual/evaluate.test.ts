import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src-main/engine.js';
import type { DeviceTree } from '../../src-main/store/config-repo.js';
import { evaluate, type Evaluated } from '../../src-main/virtual/formula-eval.js';
import { parseFormula } from '../../src-main/virtual/formula-parser.js';
import { planVirtualDevice, VirtualReader } from '../../src-main/virtual/virtual-reader.js';
import { addMeter, signal, tmpEngine } from './plant.js';

const ok = (value: number): Evaluated => ({ status: 1, value });
const stale: Evaluated = { status: 0, value: null, reason: 'input stale' };
const outOfRange: Evaluated = { status: 2, value: null, reason: 'input out of range' };

function run(src: string, inputs: Record<number, Evaluated>): Evaluated {
  return evaluate(parseFormula(src), (ref) => {
    if (ref.kind !== 'signal') throw new Error('no sibling keys here');
    return inputs[ref.uid] ?? { status: 0, value: null, reason: `s${ref.uid} missing` };
  });
}

describe('formula evaluation', () => {
  it('computes with the precedence of the parser and the four functions', () => {
    const v = { 1: ok(1200), 2: ok(-300), 3: ok(4) };
    expect(run('s1 - s2', v)).toEqual(ok(1500));
    expect(run('s1 + s2 * s3', v)).toEqual(ok(0));
    expect(run('(s1 + s2) * s3', v)).toEqual(ok(3600));
    expect(run('sum(s1, s2, s3) / 2', v)).toEqual(ok(452));
    expect(run('abs(s2) + min(s1, s3, 7) - max(s2, -1000)', v)).toEqual(ok(300 + 4 + 300));
    expect(run('-s2 / s3', v)).toEqual(ok(75));
  });

  it('is stale when any input is stale or missing, even where the value would not matter', () => {
    expect(run('s1 + s2', { 1: ok(1), 2: stale })).toMatchObject({
      status: 0,
      value: null,
      reason: 'input stale',
    });
    expect(run('s1 * 0 + s9', { 1: ok(1) })).toMatchObject({ status: 0, reason: 's9 missing' });
    expect(run('max(s1, s2)', { 1: ok(1), 2: stale })).toMatchObject({ status: 0 });
    // Stale wins over out of range: no value at all is the stronger statement.
    expect(run('s1 + s2 + s3', { 1: outOfRange, 2: stale, 3: ok(1) })).toMatchObject({ status: 0 });
    expect(run('s1 + s2', { 1: ok(1), 2: outOfRange })).toMatchObject({ status: 2, value: null });
  });

  it('turns division by zero and overflow into out of range (2), with the column', () => {
    expect(run('s1 / s2', { 1: ok(5), 2: ok(0) })).toEqual({
      status: 2,
      value: null,
      reason: 'division by zero at column 4',
    });
    expect(run('s1 / (s2 - s2)', { 1: ok(5), 2: ok(3) })).toMatchObject({ status: 2 });
    expect(run('s1 * s1', { 1: ok(1e200) })).toMatchObject({ status: 2, reason: /not a finite number/ });
  });
});

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

/** Inputs written the way the poller writes them: ingest, then one flush. */
function write(e: Engine, rows: { uid: number; v: number | null; s: 0 | 1 | 2 }[]): void {
  const now = Date.now();
  e.store.samples.ingest(rows.filter((r) => r.s !== 0).map((r) => ({ uid: r.uid, t: now, v: r.v, s: r.s })));
  e.store.samples.markStale(
    rows.filter((r) => r.s === 0).map((r) => r.uid),
    now,
  );
  e.store.samples.flush();
}

describe('virtual reader on the store', () => {
  function setup(): { e: Engine; main: DeviceTree; pv: DeviceTree; house: DeviceTree } {
    const e = (engine = tmpEngine(true));
    const main = addMeter(e, 'main', 1502, ['active_power', 'energy_import']);
    const pv = addMeter(e, 'pv', 1503, ['active_power', 'energy_import']);
    const P = (t: DeviceTree): number => signal(t, 'active_power').uid;
    const house = e.addVirtualDevice({
      label: 'house',
      signals: [
        // Declared before the sibling it reads: the reader still computes active_power first.
        { key: 'power_factor', formula: `active_power / s${P(main)}` },
        { key: 'active_power', formula: `s${P(main)} - s${P(pv)}` },
        {
          key: 'energy_import',
          formula: `sum(s${signal(main, 'energy_import').uid}, s${signal(pv, 'energy_import').uid})`,
        },
      ],
    });
    return { e, main, pv, house };
  }

  it('computes from the realtime table in dependency order, every value marked r = 1', async () => {
    const { e, main, pv, house } = setup();
    write(e, [
      { uid: signal(main, 'active_power').uid, v: 2000, s: 1 },
      { uid: signal(pv, 'active_power').uid, v: 1500, s: 1 },
      { uid: signal(main, 'energy_import').uid, v: 100.25, s: 1 },
      { uid: signal(pv, 'energy_import').uid, v: 20.5, s: 1 },
    ]);
    const reader = new VirtualReader(
      planVirtualDevice(house, house.loads[0]!.signals, e.store.config),
      e.store.samples,
    );
    expect(reader.plan.order.map((c) => c.signal.key)).toEqual([
      'active_power',
      'power_factor',
      'energy_import',
    ]);
    const r = await reader.read();
    expect(r.answered).toBe(true);
    expect(r.error).toBeUndefined();
    expect(Object.fromEntries(r.values)).toEqual({
      active_power: { value: 500, status: 1, r: 1 },
      power_factor: { value: 0.25, status: 1, r: 1 },
      energy_import: { value: 120.75, status: 1, r: 1 },
    });

    // Through the real poller: the realtime table shows r = 1.
    await e.poller.cycle(house.uid);
    const rt = new Map(
      e.store.samples.realtime(house.loads[0]!.signals.map((x) => x.uid)).map((x) => [x.si, x]),
    );
    expect(rt.get(1)).toMatchObject({ v: 500, r: 1, s: 1 });
    expect(rt.get(6)).toMatchObject({ v: 120.75, r: 1, s: 1 });
  });

  it('goes stale with a stale, missing or too old input and says which; division by zero gives s = 2', async () => {
    const { e, main, pv, house } = setup();
    const mainP = signal(main, 'active_power').uid;
    const pvP = signal(pv, 'active_power').uid;
    const houseP = signal(house, 'active_power').uid;
    const houseE = signal(house, 'energy_import').uid;
    const housePf = signal(house, 'power_factor').uid;
    write(e, [
      { uid: mainP, v: 2000, s: 1 },
      { uid: pvP, v: 1500, s: 1 },
    ]);
    await e.poller.cycle(house.uid);
    const rt = (uid: number) => e.store.samples.realtime([uid])[0];
    expect(rt(houseP)).toMatchObject({ v: 500, s: 1, r: 1 });
    expect(rt(houseE), 'energy inputs never had a value').toBeUndefined();
    expect(e.poller.status(house.uid)[0]?.lastError).toMatch(/energy_import: s\d+ has no value yet/);

    write(e, [{ uid: pvP, v: null, s: 0 }]);
    await e.poller.cycle(house.uid);
    expect(rt(houseP)).toMatchObject({ s: 0, r: 1 });
    expect(rt(housePf), 'a sibling of a stale signal is stale too').toMatchObject({ s: 0 });
    expect(e.poller.status(house.uid)[0]?.lastError).toContain(`active_power: s${pvP} is stale`);

    write(e, [
      { uid: pvP, v: 1500, s: 1 },
      { uid: mainP, v: 0, s: 1 },
    ]);
    await e.poller.cycle(house.uid);
    expect(rt(houseP)).toMatchObject({ v: -1500, s: 1, r: 1 });
    expect(rt(housePf), 'active_power / 0').toMatchObject({ v: null, s: 2, r: 1 });

    // An input whose device stopped being polled (no stale mark ever came) ages out.
    e.store.db.prepare('UPDATE realtime SET t = ? WHERE uid IN (?, ?)').run(Date.now() - 60_000, mainP, pvP);
    const reader = new VirtualReader(
      planVirtualDevice(house, house.loads[0]!.signals, e.store.config),
      e.store.samples,
    );
    const aged = await reader.read();
    expect(aged.values.get('active_power')).toMatchObject({ status: 0, value: null });
    expect(aged.error).toMatch(/s\d+ is 60 s old/);
  });

  it('keeps computing the other signals when a stored formula is broken', async () => {
    const { e, main, house } = setup();
    e.store.config.updateLoad(house.loads[0]!.uid, {
      settings: {
        formulas: {
          active_power: `s${signal(main, 'active_power').uid} -`,
          power_factor: 'active_power / 2',
          energy_import: '7',
        },
      },
    });
    const reader = new VirtualReader(
      planVirtualDevice(house, house.loads[0]!.signals, e.store.config),
      e.store.samples,
    );
    const r = await reader.read();
    expect(r.values.get('energy_import')).toEqual({ value: 7, status: 1, r: 1 });
    expect(r.values.get('active_power')).toMatchObject({ status: 0 });
    expect(r.values.get('power_factor')).toMatchObject({ status: 0 });
    expect(r.error).toMatch(/active_power: formula: .*column/);
    expect(r.error).toMatch(/power_factor: cannot compute: depends on s\d+/);
  });
});
