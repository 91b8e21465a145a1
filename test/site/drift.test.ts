import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceFromModel } from '../../src-main/devices/instantiate.js';
import { drift, takeBaseline } from '../../src-main/site/drift.js';
import { sleep } from '../helpers/peers.js';
import { siteBench, type SiteBench } from './fixture.js';
import { cli } from './helpers.js';

describe('baseline and drift', () => {
  let b: SiteBench;
  beforeAll(async () => {
    b = await siteBench([{ model: 'cg-em340-et340', unit: 2, serial: 'D2' }]);
    const model = b.engine.library.require('cg-em340-et340');
    const line = { port: b.line.port, baud: 9600, parity: 'none' as const, stopBits: 1 as const };
    b.engine.addDevice(
      deviceFromModel(model, { ...line, unit: 2, model: model.id }, b.engine.catalogue, { label: 'PV' }),
    );
  }, 30_000);
  afterAll(async () => b?.close());

  it('records every readable setting at hand-over and lists each change made later', async () => {
    const rows = await takeBaseline(b.engine.site);
    expect(rows.map((r) => r.key)).toEqual(
      expect.arrayContaining(['ct_ratio', 'system_type', 'demand_interval']),
    );
    expect(rows.some((r) => r.key.startsWith('reset_'))).toBe(false);
    expect(b.engine.store.site.baseline()).toHaveLength(rows.length);
    expect((await drift(b.engine.site)).changes).toEqual([]);
    // Someone changes the CT ratio at the meter's keypad after hand-over.
    b.meters.get(2)!.image.config.set('ct_ratio', 500);
    await sleep(150); // the simulated meter refreshes its registers every 100 ms, like a real one
    const r = await drift(b.engine.site);
    const out = await cli(['site', 'drift', '--db', b.engine.config.dbFile]);
    expect(out.code).toBe(1);
    expect(out.out).toMatch(/^PV: ct_ratio 1 → 50$/m);
    expect(r.changes).toEqual([
      { did: expect.any(Number) as number, label: 'PV', key: 'ct_ratio', baseline: 1, now: 50, error: null },
    ]);
    // The drift check's read is the meter's last configuration read too (the Web API's ct, issue 12.5).
    const last = b.engine.store.meterSettings.lastRead(r.changes[0]!.did);
    expect(last?.values.ct_ratio).toBe(50);
    expect(last?.readAt).toBeGreaterThan(Date.now() - 60_000);
  }, 60_000);
});
