import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src-main/engine.js';
import { startPymodbus, type PymodbusSlave } from '../helpers/peers.js';
import { undescribedUnit } from '../helpers/undescribed-device.js';
import { freePort, rig, type Rig } from './rig.js';

/** The map the UI builds for the undescribed device (what buildModel sends). */
const MAP = {
  id: 'site-meter-x',
  vendor: 'Unknown GmbH',
  name: 'Meter X',
  protocols: ['tcp'],
  systems: ['3P.N'],
  wordOrder: 'msw',
  maxRegistersPerRead: 50,
  identification: {
    register: 30,
    fc: 3,
    type: 'uint16',
    match: [{ values: [4711], variant: 'Meter X', partNumber: 'site-meter-x' }],
    source: 'SITE',
  },
  signals: [
    { key: 'voltage_l1', register: 0, fc: 3, type: 'uint16', scale: 0.1, unit: 'V', source: 'SITE' },
    { key: 'active_power', register: 6, fc: 3, type: 'int32', wordOrder: 'msw', unit: 'W', source: 'SITE' },
    {
      key: 'energy_import',
      register: 10,
      fc: 3,
      type: 'float32',
      wordOrder: 'lsw',
      unit: 'kWh',
      source: 'SITE',
    },
    {
      key: 'energy_export',
      register: 22,
      fc: 3,
      type: 'float32',
      wordOrder: 'lsw-byteswap',
      unit: 'kWh',
      source: 'SITE',
    },
  ],
  sources: { SITE: 'register map made on site' },
};

describe('map builder channels against a pymodbus device nobody described', () => {
  let r: Rig;
  let slave: PymodbusSlave;
  let target: { host: string; port: number; unit: number };

  beforeAll(async () => {
    const port = await freePort();
    slave = await startPymodbus({ tcp: port }, { 9: undescribedUnit() });
    target = { host: '127.0.0.1', port, unit: 9 };
    r = await rig({ poll: true });
  }, 60_000);
  afterAll(async () => {
    await r?.close();
    slave?.stop();
  });

  it('probes a range with every decoding and reads picked registers as edited', async () => {
    const p = await r.call('mapping.probe', { target, fc: 3, start: 0, count: 32 });
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    const probe = p.data as {
      rows: { address: number; word: number | null; hints: { quantity: string }[] }[];
    };
    expect(probe.rows).toHaveLength(32);
    expect(probe.rows[0]?.hints.map((h) => h.quantity)).toContain('voltage');
    expect(probe.rows[12]?.word).toBeNull();
    expect(probe.rows[30]?.word).toBe(4711);

    const read = await r.call('mapping.read', {
      target,
      picks: [
        { register: 10, fc: 3, type: 'float32', wordOrder: 'lsw', scale: 1 },
        { register: 10, fc: 3, type: 'float32', wordOrder: 'msw', scale: 1 },
        { register: 0, fc: 3, type: 'uint16', wordOrder: 'msw', scale: 0.1 },
        { register: 14, fc: 3, type: 'uint16', wordOrder: 'msw', scale: 1 },
        { register: 22, fc: 3, type: 'float32', wordOrder: 'lsw-byteswap', scale: 1 },
        { register: 22, fc: 3, type: 'float32', wordOrder: 'msw-byteswap', scale: 1 },
      ],
    });
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const v = read.data as { value: number | null; error: string | null }[];
    expect(v[0]?.value).toBe(12345.5);
    expect(v[1]?.value).not.toBe(12345.5);
    expect(v[2]?.value).toBe(230.1);
    expect(v[3]).toMatchObject({
      value: null,
      error: expect.stringMatching(/illegal data address|exception/),
    });
    // Byte-swapped orders: DCBA decodes the export energy, BADC does not.
    expect(v[4]?.value).toBe(678.25);
    expect(v[5]?.value).not.toBe(678.25);
  });

  it('saves a map through the library schema, uses it at once, exports and re-imports it', async () => {
    const bad = await r.call('mapping.save', {
      model: { ...MAP, signals: [{ ...MAP.signals[0], unit: 'kV' }] },
    });
    expect(bad).toMatchObject({ ok: false, code: 'bad_request' });
    if (!bad.ok) expect(bad.message).toMatch(/unit "kV" but the catalogue says "V"/);
    const builtIn = await r.call('mapping.save', { model: { ...MAP, id: 'eastron-sdm630' } });
    expect(builtIn).toMatchObject({ ok: false, code: 'bad_request' });

    const s = await r.call('mapping.save', { model: MAP });
    expect(s).toMatchObject({ ok: true, data: { id: 'site-meter-x', vendor: 'Unknown GmbH' } });
    const models = await r.call('config.models');
    expect(models.ok && (models.data as { id: string }[]).some((m) => m.id === 'site-meter-x')).toBe(true);

    const added = await r.call('device.add', {
      model: 'site-meter-x',
      connection: { ...target, model: 'site-meter-x' },
    });
    expect(added.ok).toBe(true);
    if (!added.ok) return;
    const tree = added.data as { uid: number; loads: { signals: { uid: number; key: string }[] }[] };
    const uidOf = (key: string): number => tree.loads[0]!.signals.find((x) => x.key === key)!.uid;
    const energy = uidOf('energy_import');
    const exported = uidOf('energy_export');
    const deadline = Date.now() + 20_000;
    let v: unknown[] = [];
    while (Date.now() < deadline) {
      r.rt.engine.store.samples.flush();
      const rows = r.rt.engine.store.samples.realtime([energy, exported]);
      v = [energy, exported].map((uid) => rows.find((x) => x.uid === uid)?.v);
      if (v[0] === 12345.5 && v[1] === 678.25) break;
      await new Promise((ok) => setTimeout(ok, 200));
    }
    // The poller decodes the saved byte-swapped order (DCBA) as the live read did.
    expect(v).toEqual([12345.5, 678.25]);

    const e = await r.call('mapping.export', { id: 'site-meter-x' });
    expect(e.ok).toBe(true);
    if (!e.ok) return;
    const file = e.data as { fileName: string; json: string };
    expect(file.fileName).toBe('site-meter-x.json');
    const imported = await r.call('mapping.import', {
      json: file.json.replace(/site-meter-x/g, 'site-meter-y'),
    });
    expect(imported).toMatchObject({ ok: true, data: { id: 'site-meter-y' } });
    expect(await r.call('mapping.import', { json: '{not json' })).toMatchObject({
      ok: false,
      code: 'bad_request',
    });

    // Kept next to the database and loaded by the next engine on it.
    const dir = join(dirname(r.rt.engine.config.dbFile), 'models');
    expect(existsSync(join(dir, 'site-meter-y.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'site-meter-x.json'), 'utf8'))).toMatchObject({
      id: 'site-meter-x',
    });
    const next = new Engine({ dbFile: join(dirname(dir), 'other.db'), poll: false });
    try {
      expect(next.library.get('site-meter-y')?.name).toBe('Meter X');
      expect(next.library.isBuiltIn('site-meter-y')).toBe(false);
    } finally {
      await next.close();
    }
  }, 60_000);
});
