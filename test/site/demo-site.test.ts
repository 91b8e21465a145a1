import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntime, type Runtime } from '../../src-main/runtime.js';
import { evaluateLoadStep, stepSnapshot } from '../../src-main/site/load-step-run.js';
import type { Phase, StepReadings } from '../../src-main/site/load-step.js';

/**
 * The demo plant as `serve --demo` runs it (polling): its P1 meter sits in front of its main meter, so a
 * fresh demo passes the cross-check, also with its 2 kW test load switched on; and its heat pump
 * meter's CT2 is mounted backwards, so the load-step test has a diagnosis to show.
 */
describe('the demo plant on the Site page', () => {
  let rt: Runtime;
  const uid = (label: RegExp): number =>
    rt.engine.store.config.devices().find((d) => label.test(d.label))!.uid;
  beforeAll(async () => {
    const dbFile = join(mkdtempSync(join(tmpdir(), 'ems-demo-site-')), 'ems.db');
    rt = await startRuntime({ dbFile, api: false, demo: 'always' });
  }, 30_000);
  afterAll(async () => rt?.close());

  it('passes the P1 cross-check: the main meter (grid load) agrees with the P1 meter', async () => {
    const r = await rt.engine.siteCrossCheck({ seconds: 6 });
    expect(r.main.label).toBe('Main meter (demo)');
    expect(r.p1.label).toMatch(/P1/);
    expect(r.verdict, r.message).toBe('agree');
    expect(r.samples).toBeGreaterThanOrEqual(4);
  }, 40_000);

  it('still agrees with the demo test load (2 kW on L1) switched on: both meters see it', async () => {
    rt.demo!.switchLoad(1, 2000);
    try {
      const r = await rt.engine.siteCrossCheck({ seconds: 4 });
      expect(r.verdict, r.message).toBe('agree');
      expect(r.phases[0]!.p1W).toBeGreaterThan(2000);
    } finally {
      rt.demo!.switchLoad(1, 0);
    }
  }, 40_000);

  async function steps(meter: number, phases: Phase[]): Promise<StepReadings[]> {
    const out: StepReadings[] = [];
    for (const phase of phases) {
      const before = await stepSnapshot(rt.engine.site, meter);
      rt.demo!.switchLoad(phase, 2000);
      const during = await stepSnapshot(rt.engine.site, meter);
      rt.demo!.switchLoad(phase, 0);
      const after = await stepSnapshot(rt.engine.site, meter);
      out.push({ phase, before, during, after });
    }
    return out;
  }

  it('shows a load-step diagnosis: the heat pump meter CT2 reversed, the main meter passes', async () => {
    const hp = await evaluateLoadStep(
      rt.engine.site,
      uid(/Heat pump/),
      await steps(uid(/Heat pump/), [1, 2, 3]),
    );
    expect(hp.steps.map((s) => s.verdicts)).toEqual([['pass'], ['reversed'], ['pass']]);
    expect(hp.steps[1]!.fixes[0]).toMatch(/swap S1\/S2 of CT2/);
    const main = await evaluateLoadStep(
      rt.engine.site,
      uid(/Main meter/),
      await steps(uid(/Main meter/), [1, 2, 3]),
    );
    expect(main.ok, JSON.stringify(main.steps.map((s) => s.message))).toBe(true);
  }, 60_000);
});
