import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  DriftView,
  LoadStepView,
  PhaseSnapshotView,
  PlanCheckView,
  Site,
  SiteFileView,
  SiteView,
  TreeDevice,
  WritePlanView,
} from '../../src-preload/contract/index.js';
import { loadLibrary } from '../../src-main/devices/library.js';
import { serveTcp, SimulatedMeter, type RunningSim } from '../../src-main/sim/modbus-sim.js';
import { SiteConditions, type SiteWiring } from '../../src-main/sim/site-wiring.js';
import { freePort, rig, type Rig } from './rig.js';

const ok = <T>(r: { ok: boolean; data?: unknown; code?: string; message?: string }): T => {
  if (!r.ok) throw new Error(`call failed: ${r.code} ${r.message}`);
  return r.data as T;
};

interface Sim {
  meter: SimulatedMeter;
  site: SiteConditions;
  sim: RunningSim;
  port: number;
}

/** An EM24 on its own loopback TCP port, installed as `wiring` says, with a load the test can switch. */
async function em24(unit: number, serial: string, wiring: SiteWiring = {}): Promise<Sim> {
  const site = new SiteConditions(wiring);
  const meter = new SimulatedMeter({
    model: loadLibrary().require('cg-em24-rs485'),
    unit,
    serialNumber: serial,
    site,
  });
  const port = await freePort();
  return { meter, site, sim: await serveTcp(meter, port), port };
}

/**
 * The site calls through main's one dispatch, as the desktop window and the browser bridge make them:
 * a plan edited whole and checked by the site schema, the plan against two simulated EM24s (one with a
 * difference, one unplanned, a planned one missing), the write-plan job, a load step on a meter with
 * CT2 reversed, the baseline and drift, and the roles.
 */
describe('site over IPC', () => {
  let r: Rig;
  let a: Sim;
  let b: Sim;
  const uids: Record<string, number> = {};
  beforeAll(async () => {
    r = await rig({ poll: false });
    a = await em24(1, 'EM24A0001', { reversed: [2] });
    b = await em24(2, 'EM24B0002');
    for (const [label, s, unit] of [
      ['Heat pump', a, 1],
      ['Garage', b, 2],
    ] as const) {
      const d = ok<TreeDevice>(
        await r.call('device.add', {
          model: 'cg-em24-rs485',
          connection: { host: '127.0.0.1', port: s.port, unit, model: 'cg-em24-rs485' },
          label,
        }),
      );
      uids[label] = d.uid;
    }
  }, 60_000);
  afterAll(async () => {
    await r?.close();
    await a?.sim.stop();
    await b?.sim.stop();
  });

  it('has no site at first, and offers the library models with their settings for the form', async () => {
    const v = ok<SiteView>(await r.call('site.get'));
    expect(v.site).toBeNull();
    expect(v.baselineAt).toBeNull();
    const em = v.models.find((m) => m.id === 'cg-em24-rs485');
    expect(em).toMatchObject({ hasCtRatio: true, systems: expect.arrayContaining(['3P.N']) });
    expect(em!.settings.map((s) => s.key)).toContain('demand_interval');
    expect(em!.settings.map((s) => s.key)).not.toContain('ct_ratio');
  });

  it('starts a site from what is configured, and refuses to start over without replace', async () => {
    const v = ok<SiteView>(
      await r.call('site.create', { info: { name: 'Villa Rossi', installer: 'Anna' }, fromConfig: true }),
    );
    expect(v.site!.site).toMatchObject({ name: 'Villa Rossi', installer: 'Anna', address: '' });
    expect(v.site!.devices.map((d) => [d.label, d.unit, d.bus.kind])).toEqual([
      ['Heat pump', 1, 'tcp'],
      ['Garage', 2, 'tcp'],
    ]);
    const again = await r.call('site.create', { info: { name: 'Other' }, fromConfig: false });
    expect(again).toMatchObject({ ok: false, code: 'conflict' });
    expect(ok<SiteView>(await r.call('site.get')).site!.site.name).toBe('Villa Rossi');
  });

  it('refuses a bad edit with the path of the wrong field and keeps the stored plan', async () => {
    const site = ok<SiteView>(await r.call('site.get')).site!;
    const schemaBad = await r.call('site.update', {
      ...site,
      devices: [{ ...site.devices[0], role: 'boss' }],
    });
    expect(schemaBad).toMatchObject({ ok: false, code: 'bad_request' });
    expect((schemaBad as { message: string }).message).toMatch(/devices\.0\.role/);
    const libraryBad = await r.call('site.update', {
      ...site,
      devices: [{ ...site.devices[0]!, model: 'no-such-meter' }],
    });
    expect(libraryBad).toMatchObject({ ok: false, code: 'bad_request' });
    expect((libraryBad as { message: string }).message).toMatch(/^\/devices\/0\/model: "no-such-meter"/);
    expect(ok<SiteView>(await r.call('site.get')).site).toEqual(site);
  });

  it('checks the plan against the wire: a difference named, a missing device, an unplanned one', async () => {
    const site = ok<SiteView>(await r.call('site.get')).site!;
    const hp = site.devices[0]!;
    const edited: Site = {
      ...site,
      devices: [
        { ...hp, ctRatio: 40 },
        { ...hp, label: 'Kitchen sub-meter', unit: 9, role: 'sub-meter' },
      ],
    };
    ok<SiteView>(await r.call('site.update', edited));
    const check = ok<PlanCheckView>(await r.call('site.check', { withScans: false }));
    const by = Object.fromEntries(check.matches.map((m) => [m.label, m]));
    expect(by['Heat pump']).toMatchObject({ outcome: 'differs', matchedBy: 'address' });
    expect(by['Heat pump']!.differences).toEqual([{ field: 'ct_ratio', planned: 40, found: 1 }]);
    expect(by['Kitchen sub-meter']).toMatchObject({ outcome: 'missing', wire: null });
    expect(check.unplanned.map((w) => [w.unit, w.model, w.serialNumber, w.uid])).toEqual([
      [2, 'cg-em24-rs485', 'EM24B0002', uids.Garage],
    ]);
    expect(check.ok).toBe(false);
  }, 60_000);

  it('writes the plan in one job with one outcome per meter and setting', async () => {
    const w = ok<WritePlanView>(await r.call('site.writePlan'));
    expect(w.who).toBe('desktop');
    const by = Object.fromEntries(w.meters.map((m) => [m.label, m]));
    expect(by['Heat pump']!.write!.results).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'ct_ratio', old: 1, requested: 40, readBack: 40, outcome: 'ok' }),
      ]),
    );
    expect(by['Kitchen sub-meter']).toMatchObject({ write: null, skipped: 'not found on the wire' });
    expect(a.meter.image.setting('ct_ratio')).toBe(40);
    const again = ok<PlanCheckView>(await r.call('site.check'));
    expect(again.matches.find((m) => m.label === 'Heat pump')!.outcome).toBe('ok');
  }, 60_000);

  it('exports the site file and imports it again (replace), a bad file refused with its path', async () => {
    const f = ok<SiteFileView>(await r.call('site.export'));
    expect(f.fileName).toBe('Villa-Rossi.emssite');
    const doc = JSON.parse(f.text) as { format: string; version: number; devices: unknown[] };
    expect(doc).toMatchObject({ format: 'ems-commissioner-site', version: 1 });
    expect(await r.call('site.import', { text: f.text })).toMatchObject({ ok: false, code: 'conflict' });
    const bad = JSON.stringify({ ...doc, devices: [{ ...(doc.devices[0] as object), unit: 'one' }] });
    const refused = await r.call('site.import', { text: bad, replace: true });
    expect(refused).toMatchObject({ ok: false, code: 'bad_request' });
    expect((refused as { message: string }).message).toMatch(/^\/devices\/0\/unit/);
    const v = ok<SiteView>(await r.call('site.import', { text: f.text, replace: true }));
    expect(v.site!.devices).toHaveLength(2);
  });

  it('runs a load step: CT2 reversed on the heat pump meter is found and the fix said', async () => {
    const uid = uids['Heat pump']!;
    const snap = async (): Promise<PhaseSnapshotView> =>
      ok<PhaseSnapshotView>(await r.call('site.stepSnapshot', { uid }));
    const steps = [];
    for (const phase of [1, 2, 3] as const) {
      const before = await snap();
      a.site.switchLoad(phase, 2000);
      const during = await snap();
      a.site.switchLoad(phase, 0);
      steps.push({ phase, before, during, after: await snap() });
    }
    const res = ok<LoadStepView>(await r.call('site.stepEvaluate', { uid, steps, expectedW: 2000 }));
    expect(res.ok).toBe(false);
    expect(res.steps[1]).toMatchObject({ phase: 2, seenOn: 2, verdicts: ['reversed'] });
    expect(res.steps[1]!.fixes.join(' ')).toMatch(/swap S1\/S2 of CT2/);
    expect(res.steps[0]!.verdicts).toEqual(['pass']);
    // A step nobody switched: the engine's words, not a crash.
    const none = ok<LoadStepView>(
      await r.call('site.stepEvaluate', {
        uid,
        steps: [{ phase: 1, before: steps[0]!.before, during: steps[0]!.before, after: steps[0]!.before }],
      }),
    );
    expect(none.steps[0]!.verdicts).toEqual(['no-step']);
    expect(await r.call('site.stepSnapshot', { uid: 9999 })).toMatchObject({ ok: false, code: 'not_found' });
  }, 90_000);

  it('takes the hand-over baseline and lists a setting changed at the meter since', async () => {
    expect(await r.call('site.drift')).toMatchObject({ ok: false, code: 'not_found' });
    const base = ok<{ meters: number; settings: number }>(await r.call('site.baseline'));
    expect(base.meters).toBe(2);
    expect(base.settings).toBeGreaterThan(4);
    expect(ok<SiteView>(await r.call('site.get')).baselineSettings).toBe(base.settings);
    expect(ok<DriftView>(await r.call('site.drift')).changes).toEqual([]);
    b.meter.image.config.set('ct_ratio', 500); // 50.0, changed at the meter's keypad
    // The simulated meter refreshes its registers every 100 ms, like a real one's update rate.
    await new Promise((done) => setTimeout(done, 250));
    const d = ok<DriftView>(await r.call('site.drift'));
    expect(d.changes).toEqual([
      { did: uids.Garage, label: 'Garage', key: 'ct_ratio', baseline: 1, now: 50, error: null },
    ]);
  }, 60_000);

  it('produces the report: HTML with the site and the written value, a PDF that is one', async () => {
    const h = ok<{ fileName: string; html: string }>(await r.call('site.report'));
    expect(h.fileName).toMatch(/\.html$/);
    expect(h.html).toContain('Villa Rossi');
    expect(h.html).toMatch(/ct_ratio|CT ratio/);
    const p = ok<{ fileName: string; base64: string }>(await r.call('site.reportPdf'));
    expect(p.fileName).toMatch(/\.pdf$/);
    const pdf = Buffer.from(p.base64, 'base64');
    expect(pdf.length).toBeGreaterThan(1000);
    expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');
  }, 120_000);

  it('lets an api account read but not change the site; the demo load needs the demo plant', async () => {
    const api = { caller: { username: 'viewer', role: 'api' as const } };
    expect(await r.call('site.get', undefined, api)).toMatchObject({ ok: true });
    for (const [ch, arg] of [
      [
        'site.update',
        { site: { name: 'x', address: '', customer: '', installer: '', notes: '' }, devices: [] },
      ],
      ['site.writePlan', undefined],
      ['site.baseline', undefined],
      ['site.import', { text: '{}' }],
      ['site.crossCheck', { seconds: 2 }],
    ] as const)
      expect(await r.call(ch, arg, api)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await r.call('site.demoLoad', { phase: 1, watts: 2000 })).toMatchObject({
      ok: false,
      code: 'unavailable',
    });
  });

  it('refuses a cross-check without a P1 meter with the reason, and a window out of range', async () => {
    const none = await r.call('site.crossCheck', { seconds: 2 });
    expect(none).toMatchObject({ ok: false, code: 'not_found' });
    expect((none as { message: string }).message).toMatch(/no P1 meter is configured/);
    expect(await r.call('site.crossCheck', { seconds: 1 })).toMatchObject({ ok: false, code: 'bad_request' });
    expect(await r.call('site.crossCheck', { seconds: 5, extra: 1 })).toMatchObject({
      ok: false,
      code: 'bad_request',
    });
  });
});
