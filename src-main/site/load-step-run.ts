import type { RtuConnection, TcpConnection } from '../../src-preload/contract/domain.js';
import { lineOf } from '../commissioning/service.js';
import { readConfig } from '../commissioning/config-read.js';
import { ModbusDriver } from '../drivers/modbus-driver.js';
import {
  DEFAULT_STEP_W,
  DEFAULT_TOLERANCE,
  evaluateStep,
  type LoadStepResult,
  type Phase,
  type PhaseSnapshot,
  type StepReadings,
} from './load-step.js';
import { SiteError } from './site-service.js';
import type { SiteWork } from './site-work.js';

/** Reads so many times and averages, so one noisy reading does not decide a step. */
const READS = 3;

function modbusDevice(work: SiteWork, uid: number) {
  const device = work.d.store.config.device(uid);
  if (!device) throw new SiteError('not-found', `no device with uid ${uid}`);
  if ((device.protocol !== 'rtu' && device.protocol !== 'tcp') || !device.model)
    throw new SiteError('unsupported', `${device.label}: the load-step test reads Modbus meters`);
  return {
    device,
    model: work.d.library.require(device.model),
    c: device.connection as RtuConnection | TcpConnection,
  };
}

/** One snapshot of a configured meter's per-phase active and reactive power for the load-step test. */
export async function stepSnapshot(work: SiteWork, uid: number): Promise<PhaseSnapshot> {
  const { model, c } = modbusDevice(work, uid);
  return work.withBus(lineOf(c), async (bus) => {
    const driver = new ModbusDriver(bus, model, c.unit);
    const p = [0, 0, 0];
    const q = [0, 0, 0];
    for (let n = 0; n < READS; n++) {
      const r = await driver.read();
      const v = new Map(r.readings.filter((x) => x.status === 1).map((x) => [x.key, x.value]));
      for (const l of [1, 2, 3] as const) {
        const pv = v.get(`active_power_l${l}`) ?? (l === 1 ? v.get('active_power') : 0);
        const qv = v.get(`reactive_power_l${l}`) ?? (l === 1 ? v.get('reactive_power') : 0);
        if (typeof pv !== 'number' || typeof qv !== 'number')
          throw new SiteError(
            'unsupported',
            `the meter did not answer with L${l} power; check it answers, then repeat`,
          );
        p[l - 1]! += pv / READS;
        q[l - 1]! += qv / READS;
      }
    }
    return { t: Date.now(), p: p as PhaseSnapshot['p'], q: q as PhaseSnapshot['q'] };
  });
}

/** Evaluates the steps of one meter, keeps the result for the report and returns it. */
export async function evaluateLoadStep(
  work: SiteWork,
  uid: number,
  steps: readonly StepReadings[],
  o: { expectedW?: number; tolerance?: number } = {},
): Promise<LoadStepResult> {
  const { device, model, c } = modbusDevice(work, uid);
  const expectedW = o.expectedW ?? DEFAULT_STEP_W;
  const tolerance = o.tolerance ?? DEFAULT_TOLERANCE;
  const phases: Phase[] = device.system === '1P' ? [1] : device.system === '2P' ? [1, 2] : [1, 2, 3];
  let ctRatio: number | null = null;
  if (model.config?.some((x) => x.key === 'ct_ratio'))
    ctRatio = await work.withBus(
      lineOf(c),
      async (bus) => (await readConfig({ bus, model, unit: c.unit }, ['ct_ratio']))[0]?.value ?? null,
    );
  const results = steps.map((s) => evaluateStep(s, { expectedW, tolerance, phases, ctRatio }));
  const result: LoadStepResult = {
    at: Date.now(),
    uid,
    label: device.label,
    expectedW,
    tolerance,
    ctRatio,
    steps: results,
    ok: results.length > 0 && results.every((r) => r.ok),
  };
  work.record('load-step', result.ok, result, uid);
  return result;
}
