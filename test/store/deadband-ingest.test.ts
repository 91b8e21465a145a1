import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../src-main/store/store.js';
import { plainDevice } from '../helpers/plain-device.js';

const files: string[] = [];
const stores: Store[] = [];
function open(file = join(mkdtempSync(join(tmpdir(), 'ems-deadband-')), 'ems.db')): Store {
  files.push(file);
  const s = new Store({ file });
  stores.push(s);
  return s;
}
afterEach(() => {
  for (const s of stores.splice(0)) if (s.db.open) s.close();
});

const T0 = Date.UTC(2026, 4, 1, 8);

/** A counter that rests (an energy register between ticks), a moving power, a flag and a text. */
function plant(store: Store) {
  const tree = store.config.addDevice(
    plainDevice('meter', [
      { key: 'energy', si: 1, kind: 'counter', type: 'float', unit: 'kWh' },
      { key: 'power', si: 1, kind: 'gauge', type: 'float', unit: 'W' },
      { key: 'plain', si: 1, kind: 'counter', type: 'float', unit: 'kWh' },
      { key: 'state', si: 1, kind: 'gauge', type: 'string', unit: '' },
    ]),
  );
  const [energy, power, plain, state] = tree.loads[0]!.signals.map((s) => s.uid) as [
    number,
    number,
    number,
    number,
  ];
  return { energy, power, plain, state };
}

/** An hour at 1 s: the counter steps 0.01 kWh every 5 min, the power moves every second. */
function feed(store: Store, u: ReturnType<typeof plant>): void {
  for (let i = 0; i < 3600; i++) {
    const t = T0 + i * 1000;
    const energy = 1234.5 + Math.floor(i / 300) * 0.01;
    store.samples.ingest([
      { uid: u.energy, t, v: energy, s: 1 },
      { uid: u.power, t, v: 1500 + 40 * Math.sin(i / 7), s: 1 },
      { uid: u.plain, t, v: energy, s: 1 },
      { uid: u.state, t, v: i < 1800 ? 'running' : 'stopped', s: 1 },
    ]);
    if (i % 10 === 9) store.samples.flush(t);
  }
  store.samples.flush(T0 + 3_600_000);
}

const count = (store: Store, uid: number, text = false): number =>
  (text ? [...store.raw.texts(uid, 0, T0 + 7_200_000)] : [...store.raw.points(uid, 0, T0 + 7_200_000)])
    .length;

describe('deadband in the ingest path', () => {
  it('a resting counter stores far fewer samples, a moving value passes, realtime stays current', () => {
    const store = open();
    const u = plant(store);
    const gap = { maxGapS: 900 };
    expect(store.config.updateSignal(u.energy, { deadband: { delta: 0.005, ...gap } })?.deadband).toEqual({
      delta: 0.005,
      maxGapS: 900,
    });
    store.config.updateSignal(u.power, { deadband: { delta: 1, ...gap } });
    store.config.updateSignal(u.state, { deadband: { delta: 0, ...gap } });
    feed(store, u);

    // 12 steps of the counter (the first sample and 11 changes); the 15-min gap adds none between them.
    expect(count(store, u.energy)).toBe(12);
    expect(count(store, u.plain)).toBe(3600);
    // A sine of ±40 W over 7 s moves more than 1 W almost every second.
    expect(count(store, u.power)).toBeGreaterThan(3000);
    // Text: the first, the change, and one every 15 min while it rests (at 15, 45 min).
    expect([...store.raw.texts(u.state, 0, T0 + 7_200_000)].map((s) => (s.t - T0) / 60_000)).toEqual([
      0, 15, 30, 45,
    ]);
    // Realtime still holds the last value read, stored or not.
    expect(store.samples.realtime([u.energy])[0]).toMatchObject({ v: 1234.5 + 11 * 0.01, t: T0 + 3_599_000 });
  });

  it('the gap stores a resting value now and then; switching off stores every sample again', () => {
    const store = open();
    const u = plant(store);
    store.config.updateSignal(u.energy, { deadband: { delta: 1, maxGapS: 60 } });
    feed(store, u);
    // Moves of 0.01 never pass a delta of 1: one sample a minute.
    expect(count(store, u.energy)).toBe(60);
    expect(store.config.updateSignal(u.energy, { deadband: null })?.deadband).toBeUndefined();
    store.samples.ingest([{ uid: u.energy, t: T0 + 3_600_000, v: 1, s: 1 }]);
    store.samples.ingest([{ uid: u.energy, t: T0 + 3_601_000, v: 1, s: 1 }]);
    store.samples.flush(T0 + 3_602_000);
    expect(count(store, u.energy)).toBe(62);
  });

  it('is kept in the database and applies after a restart', () => {
    const first = open();
    const u = plant(first);
    first.config.updateSignal(u.energy, { deadband: { delta: 0.005, maxGapS: 900 } });
    const file = first.options.file;
    first.close();
    const store = open(file);
    expect(store.config.signal(u.energy)?.deadband).toEqual({ delta: 0.005, maxGapS: 900 });
    expect(store.config.signal(u.power)?.deadband).toBeUndefined();
    feed(store, u);
    expect(count(store, u.energy)).toBe(12);
  });
});
