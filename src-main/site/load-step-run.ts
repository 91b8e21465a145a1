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

/**
 * Reads so many times and takes the median: one reading off (noise, or on RTU a late reply to an
 * earlier request taken for this one, which no frame field can tell apart) does not decide a step.
 */
const READS = 3;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

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
  const keys = new Set(model.signals.map((s) => s.key));
  // The key each phase is read from; a phase the model has no signal for reads 0 (a 1-phase meter).
  const source = (kind: 'active' | 'reactive', l: 1 | 2 | 3): string | undefined =>
    [`${kind}_power_l${l}`, ...(l === 1 ? [`${kind}_power`] : [])].find((k) => keys.has(k));
  const wanted = ([1, 2, 3] as const).map((l) => ({ p: source('active', l), q: source('reactive', l) }));
  return work.withBus(lineOf(c), async (bus) => {
    const driver = new ModbusDriver(bus, model, c.unit);
    const p: number[][] = [[], [], []];
    const q: number[][] = [[], [], []];
    let failed = 0;
    // The snapshot is of the middle of its reads: the step is taken against the base interpolated
    // by time (load-step.ts), so a snapshot slowed by a busy line does not count drift as step.
    const times: number[] = [];
    for (let n = 0; n < READS;) {
      const t0 = Date.now();
      const r = await driver.read();
      const t = (t0 + Date.now()) / 2;
      const v = new Map(r.readings.filter((x) => x.status === 1).map((x) => [x.key, x.value]));
      const value = (k: string | undefined): number | undefined => {
        if (k === undefined) return 0;
        const x = v.get(k);
        return typeof x === 'number' ? x : undefined;
      };
      const got = wanted.map((w) => ({ p: value(w.p), q: value(w.q) }));
      // A block lost to a timeout or CRC error is read again, never taken for 0 W.
      const missing = got.findIndex((g) => g.p === undefined || g.q === undefined);
      if (missing >= 0) {
        if (++failed > READS)
          throw new SiteError(
            'unsupported',
            `the meter did not answer with L${missing + 1} power; check it answers, then repeat`,
          );
        continue;
      }
      got.forEach((g, i) => {
        p[i]!.push(g.p!);
        q[i]!.push(g.q!);
      });
      times.push(t);
      n++;
    }
    return {
      t: Math.round(times.reduce((a, b) => a + b, 0) / times.length),
      p: p.map(median) as PhaseSnapshot['p'],
      q: q.map(median) as PhaseSnapshot['q'],
    };
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
