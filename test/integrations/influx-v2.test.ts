import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startVictoriaMetrics, type Peer } from '../helpers/integration-peers.js';
import { startPlant, type Plant } from './fixture.js';

let vm: Peer;
let plant: Plant;

interface Series {
  metric: Record<string, string>;
  values: number[];
  timestamps: number[];
}

/** Every series VictoriaMetrics holds (its export API: one JSON object per line). */
async function exported(): Promise<Series[]> {
  const q = new URLSearchParams({ 'match[]': '{__name__=~".+"}' });
  const r = await fetch(`http://127.0.0.1:${vm.port}/api/v1/export?${q.toString()}`);
  const text = await r.text();
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Series);
}

beforeAll(async () => {
  vm = await startVictoriaMetrics();
  plant = await startPlant(
    [{ model: 'eastron-sdm630', unit: 1, keys: ['voltage_l1', 'energy_import'], pollMs: 300 }],
    (s) => ({
      ...s,
      influx: {
        ...s.influx,
        enabled: true,
        url: `http://127.0.0.1:${vm.port}`,
        version: 2,
        org: 'acme',
        bucket: 'ems',
        token: 'secret-token',
      },
    }),
  );
}, 60_000);
afterAll(async () => {
  await plant?.close();
  await vm?.stop();
});

const st = (): ReturnType<Plant['rt']['engine']['integrations']['status']>[number] =>
  plant.rt.engine.integrations.status().find((s) => s.name === 'influx')!;

/** Every sample the store kept for these signals, through its own reader. */
function storedSamples(): { uid: number; t: number; v: number }[] {
  return plant.rt.engine.store.raw.after({ t: 0, uid: 0 }, Date.now(), 1_000_000);
}

describe('InfluxDB 2.x write API (/api/v2/write) against VictoriaMetrics', () => {
  it('writes one measurement per load with device, load, key and unit tags, times in ms', async () => {
    const load = plant.devices[0]!.loads[0]!;
    const series = await eventually(async () => {
      const all = await exported();
      return all.find((s) => s.metric.key === 'voltage_l1' && s.values.length > 0);
    }, 'a voltage point');
    // VictoriaMetrics names a series <measurement>_<field>.
    expect(series.metric).toMatchObject({
      __name__: `${load.label}_value`,
      device: plant.devices[0]!.label,
      load: load.label,
      key: 'voltage_l1',
      unit: 'V',
    });
    const vUid = load.signals.find((x) => x.key === 'voltage_l1')!.uid;
    const byT = new Map(
      storedSamples()
        .filter((s) => s.uid === vUid)
        .map((s) => [s.t, s.v]),
    );
    // ms precision kept: each point is a sample of the store at its exact time and value.
    expect(byT.get(series.timestamps[0]!)).toBe(series.values[0]);
    expect(st().target).toContain('org=acme bucket=ems');
    await eventually(() => (st().connected === true ? true : undefined), 'connected');
  });

  it('a server stopped and restarted mid-run ends with every sample the store kept', async () => {
    const load = plant.devices[0]!.loads[0]!;
    await vm.stop();
    await eventually(
      () => (st().connected === false && st().lastError ? true : undefined),
      'the outage noticed',
    );
    await new Promise((r) => setTimeout(r, 2000));
    await vm.start();
    plant.rt.engine.poller.remove(plant.devices[0]!.uid);
    const keyOf = new Map(load.signals.map((s) => [s.uid, s.key]));
    const stored = storedSamples().filter((s) => keyOf.has(s.uid));
    expect(stored.length).toBeGreaterThan(10);
    let missing: typeof stored = [];
    await eventually(
      async () => {
        const got = new Set<string>();
        for (const s of await exported())
          s.timestamps.forEach((t, i) => got.add(`${s.metric.key}|${t}|${s.values[i]}`));
        missing = stored.filter((s) => !got.has(`${keyOf.get(s.uid)}|${s.t}|${s.v}`));
        return missing.length === 0 ? true : undefined;
      },
      'every sample in the database',
      40_000,
    ).catch(() => undefined);
    expect(missing, `${missing.length} of ${stored.length} samples missing`).toEqual([]);
    expect(st().connected).toBe(true);
  }, 90_000);
});
