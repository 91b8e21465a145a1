import type { MonitorFrameView, MonitorSnapshot, UnitStatsView } from '../../src-preload/contract/index.js';
import type { Framing } from '../bus/modbus-bus.js';
import type { FrameBatch } from '../bus/monitor-hub.js';
import type { MonitorFrame } from '../bus/monitor.js';
import type { Engine } from '../engine.js';
import type { HostContext } from './context.js';
import type { Handlers } from './dispatch.js';
import type { Producer } from './events.js';
import { deviceIndex, type DeviceRef } from './monitor-devices.js';
import { describeFrame } from './monitor-describe.js';

type Lookup = (busKey: string, unit: number) => DeviceRef | null;

function frameView(f: MonitorFrame, key: string, framing: Framing, lookup: Lookup): MonitorFrameView {
  const dev = f.unit ? lookup(key, f.unit) : null;
  return {
    seq: f.seq,
    t: f.t,
    bus: f.bus,
    dir: f.dir,
    hex: f.hex,
    unit: f.unit,
    fc: f.fc,
    fn: describeFrame(f, framing),
    durationMs: f.durationMs ?? null,
    outcome: f.outcome ?? null,
    exceptionCode: f.exceptionCode ?? null,
    note: f.note ?? null,
    did: dev?.did ?? null,
    device: dev?.label ?? null,
  };
}

/** Every bus the engine has open (polling or scanning): state, the newest frames, per-unit statistics. */
export function snapshot(engine: Engine, limit: number): MonitorSnapshot {
  const lookup = deviceIndex(engine);
  const frames: MonitorFrameView[] = [];
  const stats: UnitStatsView[] = [];
  const buses = engine.busList().map((b) => {
    for (const f of engine.busFrames(b.key).slice(-limit))
      frames.push(frameView(f, b.key, b.framing, lookup));
    for (const s of engine.busStats(b.key)) {
      const dev = lookup(b.key, s.unit);
      stats.push({
        bus: b.endpoint,
        unit: s.unit,
        did: dev?.did ?? null,
        device: dev?.label ?? s.devices[0]?.label ?? null,
        requests: s.requests,
        errors: s.errors,
        timeouts: s.timeouts,
        crcErrors: s.crcErrors,
        exceptions: s.exceptions,
        wrongUnit: s.wrongUnit,
        meanMs: s.meanMs,
        maxMs: s.maxMs,
      });
    }
    return {
      bus: b.endpoint,
      state: b.state,
      framing: b.framing,
      queue: b.queueLength,
      lastError: b.lastError,
    };
  });
  frames.sort((a, b) => a.t - b.t || a.seq - b.seq);
  return { buses, stats, frames: frames.slice(-limit) };
}

/**
 * Frames of every bus as one event every `everyMs` (the engine batches per bus; this merges the
 * buses). A burst beyond `maxPerBatch` keeps its newest frames: the monitor shows now, not backlog.
 */
export function monitorFeed(engine: Engine, everyMs = 250, maxPerBatch = 1000): Producer<'monitor.frames'> {
  return (emit) => {
    let lookup = deviceIndex(engine);
    let framing = new Map(engine.busList().map((b) => [b.key, b.framing]));
    let pending: MonitorFrameView[] = [];
    const off = engine.onBusFrames((batch: FrameBatch) => {
      if (!framing.has(batch.key)) framing = new Map(engine.busList().map((b) => [b.key, b.framing]));
      const fr = framing.get(batch.key) ?? 'rtu';
      for (const f of batch.frames) pending.push(frameView(f, batch.key, fr, lookup));
      if (pending.length > maxPerBatch * 2) pending = pending.slice(-maxPerBatch);
    });
    const flush = setInterval(() => {
      if (!pending.length) return;
      const out = pending.length > maxPerBatch ? pending.slice(-maxPerBatch) : pending;
      pending = [];
      emit(out);
    }, everyMs);
    // Devices are added and renamed while the monitor runs.
    const relabel = setInterval(() => {
      lookup = deviceIndex(engine);
    }, 2000);
    flush.unref();
    relabel.unref();
    return () => {
      off();
      clearInterval(flush);
      clearInterval(relabel);
    };
  };
}

export function monitorHandlers(ctx: HostContext): Pick<Handlers, 'monitor.snapshot'> {
  return { 'monitor.snapshot': (arg) => snapshot(ctx.engine, arg?.limit ?? 500) };
}
