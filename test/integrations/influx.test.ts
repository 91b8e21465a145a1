import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLine } from '../../src-main/integrations/influx/line-protocol.js';
import { eventually, startInfluxd, type Peer } from '../helpers/integration-peers.js';
import { startPlant, type Plant } from './fixture.js';

let influx: Peer;
let plant: Plant;

async function query(q: string): Promise<{ columns: string[]; values: unknown[][] } | undefined> {
  const r = await fetch(`http://127.0.0.1:${influx.port}/query?db=ems&epoch=ms&q=${encodeURIComponent(q)}`);
  const body = (await r.json()) as { results: { series?: { columns: string[]; values: unknown[][] }[] }[] };
  return body.results[0]?.series?.[0];
}

beforeAll(async () => {
  influx = await startInfluxd();
  const c = await fetch(`http://127.0.0.1:${influx.port}/query`, {
    method: 'POST',
    body: new URLSearchParams({ q: 'CREATE DATABASE ems' }),
  });
  expect(c.status).toBe(200);
  plant = await startPlant(
    [{ model: 'eastron-sdm630', unit: 1, keys: ['voltage_l1', 'energy_import'], pollMs: 300 }],
    (s) => ({
      ...s,
      influx: {
        ...s.influx,
        enabled: true,
        url: `http://127.0.0.1:${influx.port}`,
        version: 1,
        database: 'ems',
      },
    }),
  );
}, 60_000);
afterAll(async () => {
  await plant?.close();
  await influx?.stop();
});

const st = (): ReturnType<Plant['rt']['engine']['integrations']['status']>[number] =>
  plant.rt.engine.integrations.status().find((s) => s.name === 'influx')!;

describe('line protocol', () => {
  it('escapes measurement and tags, leaves out empty tags and non-finite values', () => {
    expect(
      toLine({
        measurement: 'Main, kitchen',
        tags: { unit: '', key: 'a=b', device: 'x y' },
        value: 1.5,
        t: 1000,
      }),
    ).toBe('Main\\,\\ kitchen,device=x\\ y,key=a\\=b value=1.5 1000');
    expect(toLine({ measurement: 'm', tags: {}, value: NaN, t: 1 })).toBeUndefined();
  });
});

describe('InfluxDB 1.x (influxd) via /write', () => {
  it('writes one measurement per load with device, load, key and unit tags, in ms', async () => {
    const load = plant.devices[0]!.loads[0]!;
    const row = await eventually(
      () =>
        query(
          `SELECT "value", "device", "key", "unit", "load" FROM "${load.label}" WHERE "key" = 'voltage_l1' LIMIT 1`,
        ),
      'a voltage point',
    );
    const rec = Object.fromEntries(row.columns.map((c, i) => [c, row.values[0]![i]]));
    expect(rec).toMatchObject({
      device: plant.devices[0]!.label,
      key: 'voltage_l1',
      unit: 'V',
      load: load.label,
    });
    expect(rec.value).toBeGreaterThan(200);
    // Times in ms: the point's time is the exact time of a sample in the store.
    const vUid = load.signals.find((x) => x.key === 'voltage_l1')!.uid;
    const v = plant.rt.engine.store.db.prepare('SELECT v FROM samples WHERE uid = ? AND t = ?').pluck();
    expect(v.get(vUid, rec.time)).toBe(rec.value);
    await eventually(() => (st().connected === true ? true : undefined), 'connected');
  });

  it('a database stopped and restarted mid-run ends with every sample the store kept', async () => {
    const load = plant.devices[0]!.loads[0]!;
    await influx.stop();
    await eventually(
      () => (st().connected === false && st().lastError ? true : undefined),
      'the outage noticed',
    );
    await new Promise((r) => setTimeout(r, 2000));
    await influx.start();
    // Stop polling, then wait until the writer has caught up with the store.
    plant.rt.engine.poller.remove(plant.devices[0]!.uid);
    const stored = plant.rt.engine.store.db
      .prepare('SELECT uid, t, v FROM samples ORDER BY t, uid')
      .all() as { uid: number; t: number; v: number }[];
    const firstT = stored[0]!.t;
    const keyOf = new Map(load.signals.map((s) => [s.uid, s.key]));
    await eventually(
      async () => {
        const r = await query(`SELECT count("value") FROM "${load.label}" WHERE time >= ${firstT}ms`);
        return r && Number(r.values[0]![1]) >= stored.length ? true : undefined;
      },
      'every sample in InfluxDB',
      40_000,
    );
    const all = await query(`SELECT "value", "key" FROM "${load.label}" WHERE time >= ${firstT}ms`);
    const got = new Set(all!.values.map((v) => `${String(v[0])}|${String(v[2])}|${String(v[1])}`));
    const missing = stored.filter((s) => !got.has(`${s.t}|${keyOf.get(s.uid)}|${s.v}`));
    expect(missing, `${missing.length} of ${stored.length} samples missing`).toEqual([]);
    // The backlog figure is taken at the end of each write cycle; samples still inside the settle
    // window at that moment are counted until the next cycle sends them.
    await eventually(
      () => (st().connected === true && st().backlog === 0 ? true : undefined),
      'connected with an empty backlog',
      10_000,
    );
  }, 90_000);
});
