import type { Device, Realtime, Signal } from '../../src-preload/contract/domain.js';
import type { DeviceReader, DeviceReading } from '../poller/device-reader.js';
import type { ReaderFactory } from '../poller/reader-factory.js';
import { evaluate, inputFromRealtime, type Evaluated } from './formula-eval.js';
import { compileVirtualLoad, type CompiledSignal, type ConfigView } from './virtual-config.js';

/** Where the reader finds its inputs' latest values: the store's realtime table. */
export interface RealtimeSource {
  realtime(uids?: readonly number[]): Realtime[];
}

/** The evaluation plan of one virtual device, fixed when the poller attaches it. */
export interface VirtualPlan {
  /** The device's signals in dependency order: a signal comes after the siblings it reads. */
  order: CompiledSignal[];
  /** Signals that cannot be computed at all (broken stored formula, cycle), with the reason. */
  broken: Map<number, string>;
  /** Inputs outside this device, with the age after which their last value no longer counts. */
  inputs: Map<number, { maxAgeMs: number }>;
}

/** An input older than this many of its own device's poll periods (and at least 10 s) is stale. */
const AGE_PERIODS = 5;
const MIN_MAX_AGE_MS = 10_000;

/**
 * Orders the device's signals so siblings are computed before the signals that read them, within the
 * same cycle. Signals of OTHER virtual devices are read from the realtime table like any input, i.e.
 * with up to one cycle of that device's lag.
 */
export function planVirtualDevice(
  device: Device,
  signals: readonly Signal[],
  config: ConfigView,
): VirtualPlan {
  const own = new Set(signals.map((s) => s.uid));
  const compiled = config
    .loads({ did: device.uid })
    .flatMap((l) => compileVirtualLoad(l, config.signals({ did: device.uid })))
    .filter((c) => own.has(c.signal.uid));
  const byUid = new Map(compiled.map((c) => [c.signal.uid, c]));
  const broken = new Map<number, string>();
  const order: CompiledSignal[] = [];
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (c: CompiledSignal): boolean => {
    const uid = c.signal.uid;
    if (state.get(uid) === 'done') return !broken.has(uid);
    if (state.get(uid) === 'visiting') return false;
    state.set(uid, 'visiting');
    let ok = c.expr !== null;
    if (!ok) broken.set(uid, `formula: ${c.error ?? 'missing'}`);
    for (const r of c.refs) {
      const dep = byUid.get(r);
      if (dep && !visit(dep) && ok) {
        ok = false;
        broken.set(uid, `cannot compute: depends on s${r} (cycle or broken formula)`);
      }
    }
    state.set(uid, 'done');
    order.push(c);
    return ok;
  };
  for (const c of compiled) visit(c);

  const inputs = new Map<number, { maxAgeMs: number }>();
  for (const c of compiled)
    for (const r of c.refs) {
      if (own.has(r) || inputs.has(r)) continue;
      const did = config.signal(r)?.did;
      const pollMs = did === undefined ? 1000 : (config.device(did)?.pollMs ?? 1000);
      inputs.set(r, { maxAgeMs: Math.max(MIN_MAX_AGE_MS, AGE_PERIODS * pollMs) });
    }
  return { order, broken, inputs };
}

/**
 * Computes a virtual device's signals from the latest values of their inputs. Every value it returns
 * is marked computed (r = 1); an input that is stale, missing or too old makes the result stale.
 */
export class VirtualReader implements DeviceReader {
  constructor(
    readonly plan: VirtualPlan,
    private readonly source: RealtimeSource,
    private readonly clock: () => number = Date.now,
  ) {}

  async read(): Promise<DeviceReading> {
    const now = this.clock();
    const rows = new Map(this.source.realtime([...this.plan.inputs.keys()]).map((r) => [r.uid, r]));
    const computed = new Map<number, Evaluated>();
    const values: DeviceReading['values'] = new Map();
    const problems: string[] = [];
    for (const c of this.plan.order) {
      const uid = c.signal.uid;
      const why = this.plan.broken.get(uid);
      let out: Evaluated;
      if (why !== undefined || !c.expr) out = { status: 0, value: null, reason: why ?? 'no formula' };
      else
        out = evaluate(c.expr, (ref) => {
          const u = c.resolve(ref);
          return (
            computed.get(u) ??
            inputFromRealtime(rows.get(u), `s${u}`, now, this.plan.inputs.get(u)?.maxAgeMs ?? MIN_MAX_AGE_MS)
          );
        });
      computed.set(uid, out);
      values.set(c.signal.key, { value: out.value, status: out.status, r: 1 });
      if (out.status !== 1) problems.push(`${c.signal.key}: ${out.reason}`);
    }
    return { values, answered: true, ...(problems.length ? { error: problems.join('; ') } : {}) };
  }
}

/** The reader factory for protocol `virtual`, reading configuration and realtime values from the store. */
export function virtualReaderFactory(store: { config: ConfigView; samples: RealtimeSource }): ReaderFactory {
  return (device, signals) =>
    new VirtualReader(planVirtualDevice(device, signals, store.config), store.samples);
}
