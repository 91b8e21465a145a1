import { EventEmitter } from 'node:events';
import type { BusState, Framing, ModbusBus } from './modbus-bus.js';
import type { MonitorFrame, UnitStats } from './monitor.js';

/** Why a bus is open: polling configured devices, a discovery scan, or a one-off commissioning job. */
export type BusPurpose = 'poll' | 'scan' | 'commission';

export interface BusSummary {
  key: string;
  endpoint: string;
  framing: Framing;
  purpose: BusPurpose;
  state: BusState;
  queueLength: number;
  lastError: string | null;
  lastSeq: number;
}

export interface UnitStatsRow extends UnitStats {
  unit: number;
}

/** Frames of one bus pushed to listeners, at most one batch per interval. */
export interface FrameBatch {
  key: string;
  frames: MonitorFrame[];
}

const BATCH_MS = 250;

/**
 * Every bus the engine has open, polling or scanning, in one place for the bus monitor: a listing,
 * frames since a sequence number, per-unit statistics, and batched frame events (one message per
 * bus per ~250 ms, never one per frame).
 */
export class MonitorHub extends EventEmitter<{ frames: [FrameBatch] }> {
  private readonly buses = new Map<
    string,
    { bus: ModbusBus; purpose: BusPurpose; pending: MonitorFrame[]; off: () => void }
  >();
  private timer: NodeJS.Timeout | undefined;

  add(key: string, bus: ModbusBus, purpose: BusPurpose): void {
    this.remove(key);
    const entry = { bus, purpose, pending: [] as MonitorFrame[], off: (): void => undefined };
    const onFrame = (f: MonitorFrame): void => {
      if (this.listenerCount('frames') === 0) return;
      entry.pending.push(f);
      this.armFlush();
    };
    bus.monitor.on('frame', onFrame);
    entry.off = () => {
      bus.monitor.off('frame', onFrame);
    };
    this.buses.set(key, entry);
  }

  remove(key: string): void {
    const e = this.buses.get(key);
    if (!e) return;
    this.flushOne(key, e.pending);
    e.off();
    this.buses.delete(key);
  }

  list(): BusSummary[] {
    return [...this.buses.entries()].map(([key, e]) => ({
      key,
      endpoint: e.bus.endpoint,
      framing: e.bus.framing,
      purpose: e.purpose,
      state: e.bus.state,
      queueLength: e.bus.queueLength,
      lastError: e.bus.lastError ?? null,
      lastSeq: e.bus.monitor.lastSeq,
    }));
  }

  bus(key: string): ModbusBus | undefined {
    return this.buses.get(key)?.bus;
  }

  frames(key: string, sinceSeq = 0): MonitorFrame[] {
    return this.require(key).monitor.frames(sinceSeq);
  }

  stats(key: string): UnitStatsRow[] {
    return [...this.require(key).monitor.stats.entries()]
      .sort(([a], [b]) => a - b)
      .map(([unit, s]) => ({ unit, ...s, meanMs: round(s.meanMs), maxMs: round(s.maxMs) }));
  }

  /** Subscribes to frame batches; returns the unsubscribe. */
  subscribe(listener: (batch: FrameBatch) => void): () => void {
    this.on('frames', listener);
    return () => this.off('frames', listener);
  }

  close(): void {
    clearTimeout(this.timer);
    for (const key of [...this.buses.keys()]) this.remove(key);
  }

  private require(key: string): ModbusBus {
    const b = this.buses.get(key)?.bus;
    if (!b) throw new Error(`no bus "${key}" (open: ${[...this.buses.keys()].join(', ') || 'none'})`);
    return b;
  }

  private armFlush(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      for (const [key, e] of this.buses) {
        this.flushOne(key, e.pending);
        e.pending = [];
      }
    }, BATCH_MS);
    this.timer.unref?.();
  }

  private flushOne(key: string, frames: MonitorFrame[]): void {
    if (frames.length) this.emit('frames', { key, frames: [...frames] });
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
