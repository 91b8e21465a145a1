import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceFromModel } from '../../src-main/devices/instantiate.js';
import { evaluateLoadStep, stepSnapshot } from '../../src-main/site/load-step-run.js';
import type { Phase, StepReadings } from '../../src-main/site/load-step.js';
import { siteBench, type SiteBench } from './fixture.js';

/**
 * The load-step test against simulated EM24s on a real RS485 line (socat pty), each installed its own
 * way: right, CT2 reversed, CT2/CT3 on each other's conductors, CTs of 200/5 with the meter set to 100/5.
 * The "technician" switches a 2 kW load on each phase of the simulated site between the readings.
 */
describe('load-step wiring test', () => {
  let b: SiteBench;
  const uids = new Map<number, number>();
  beforeAll(async () => {
    b = await siteBench([
      { model: 'cg-em24-rs485', unit: 1, serial: 'A1' },
      { model: 'cg-em24-rs485', unit: 2, serial: 'A2', wiring: { reversed: [2] } },
      { model: 'cg-em24-rs485', unit: 3, serial: 'A3', wiring: { ctOn: [1, 3, 2] } },
      { model: 'cg-em24-rs485', unit: 4, serial: 'A4', wiring: { installedCtRatio: 40 } },
    ]);
    b.meters.get(4)!.image.config.set('ct_ratio', 200); // 20.0: set for 100/5 CTs, 200/5 are fitted
    const model = b.engine.library.require('cg-em24-rs485');
    const line = { port: b.line.port, baud: 9600, parity: 'none' as const, stopBits: 1 as const };
    for (const unit of [1, 2, 3, 4])
      uids.set(
        unit,
        b.engine.addDevice(
          deviceFromModel(model, { ...line, unit, model: model.id }, b.engine.catalogue, {
            label: `Meter ${unit}`,
          }),
        ).uid,
      );
  }, 30_000);
  afterAll(async () => b?.close());

  async function steps(unit: number, phases: Phase[]): Promise<StepReadings[]> {
    const uid = uids.get(unit)!;
    const site = b.conditions.get(unit)!;
    const out: StepReadings[] = [];
    for (const phase of phases) {
      const before = await stepSnapshot(b.engine.site, uid);
      site.switchLoad(phase, 2000);
      const during = await stepSnapshot(b.engine.site, uid);
      site.switchLoad(phase, 0);
      const after = await stepSnapshot(b.engine.site, uid);
      out.push({ phase, before, during, after });
    }
    return out;
  }

  it('passes a meter wired right: each step on its own CT, positive, PF 1, the expected size', async () => {
    const r = await evaluateLoadStep(b.engine.site, uids.get(1)!, await steps(1, [1, 2, 3]));
    expect(r.ok).toBe(true);
    expect(r.steps.map((s) => [s.phase, s.seenOn, s.verdicts])).toEqual([
      [1, 1, ['pass']],
      [2, 2, ['pass']],
      [3, 3, ['pass']],
    ]);
    for (const s of r.steps) {
      expect(s.pf).toBeGreaterThan(0.95);
      expect(Math.abs(s.ratio - 1)).toBeLessThanOrEqual(0.1);
    }
    expect(b.engine.store.site.results('load-step')).toHaveLength(1);
  }, 60_000);

  it('finds a reversed CT and says to swap S1/S2', async () => {
    const r = await evaluateLoadStep(b.engine.site, uids.get(2)!, await steps(2, [1, 2, 3]));
    expect(r.ok).toBe(false);
    const l2 = r.steps[1]!;
    expect(l2).toMatchObject({ phase: 2, seenOn: 2, verdicts: ['reversed'] });
    expect(l2.pf).toBeLessThan(-0.95);
    expect(l2.fixes.join(' ')).toMatch(/swap S1\/S2 of CT2/);
    expect(r.steps[0]!.verdicts).toEqual(['pass']);
    expect(r.steps[2]!.verdicts).toEqual(['pass']);
  }, 60_000);

  it('finds CTs on the wrong phase (L2 and L3 crossed): the step shows on the other input at −0.5 PF', async () => {
    const r = await evaluateLoadStep(b.engine.site, uids.get(3)!, await steps(3, [2, 3]));
    expect(r.steps.map((s) => [s.phase, s.seenOn, s.verdicts])).toEqual([
      [2, 3, ['wrong-phase']],
      [3, 2, ['wrong-phase']],
    ]);
    for (const s of r.steps) expect(s.pf).toBeCloseTo(-0.5, 1);
    expect(r.steps[0]!.fixes[0]).toMatch(/CT3 sits on L2: move CT3 onto L3/);
  }, 60_000);

  it('finds a CT ratio set wrong, with the tolerance and the value to set', async () => {
    const r = await evaluateLoadStep(b.engine.site, uids.get(4)!, await steps(4, [1]));
    const s = r.steps[0]!;
    expect(s).toMatchObject({ seenOn: 1, verdicts: ['ratio'] });
    expect(s.ratio).toBeGreaterThan(0.45);
    expect(s.ratio).toBeLessThan(0.55);
    expect(r.ctRatio).toBe(20);
    expect(s.fixes[0]).toMatch(/tolerance ±10 %.*set it to about (39|40|41)(\.\d)? \(now 20\)/);
  }, 60_000);
});
