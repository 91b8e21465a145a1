import { EventEmitter } from 'node:events';

import type { FrameOutcome } from '../../src-preload/contract/views.js';

export type { FrameOutcome };

export interface MonitorFrame {
  seq: number;
  /** Wall clock, ms. */
  t: number;
  bus: string;
  dir: 'tx' | 'rx' | 'none';
  hex: string;
  unit: number;
  fc: number;
  /** Request to reply (or to timeout), ms; only on rx / outcome rows. */
  durationMs?: number;
  outcome?: FrameOutcome;
  exceptionCode?: number;
  note?: string;
}

export interface UnitStats {
  requests: number;
  errors: number;
  timeouts: number;
  crcErrors: number;
  exceptions: number;
  wrongUnit: number;
  /** Bytes that could not be a reply (line noise, another baud rate) while this unit was asked. */
  garbage: number;
  meanMs: number;
  maxMs: number;
}

const emptyStats = (): UnitStats => ({
  requests: 0,
  errors: 0,
  timeouts: 0,
  crcErrors: 0,
  exceptions: 0,
  wrongUnit: 0,
  garbage: 0,
  meanMs: 0,
  maxMs: 0,
});

/** A bounded ring of frames plus per-unit statistics: what the bus monitor shows. */
export class BusMonitor extends EventEmitter<{ frame: [MonitorFrame] }> {
  // A fixed circular buffer: recording a frame is O(1) however full the ring is.
  private readonly ring: (MonitorFrame | undefined)[];
  private head = 0;
  private seq = 0;
  readonly stats = new Map<number, UnitStats>();
  private okCount = new Map<number, number>();

  constructor(
    readonly bus: string,
    readonly capacity = 2000,
  ) {
    super();
    this.ring = new Array<MonitorFrame | undefined>(capacity);
  }

  record(f: Omit<MonitorFrame, 'seq' | 't' | 'bus'>): void {
    const frame: MonitorFrame = { seq: ++this.seq, t: Date.now(), bus: this.bus, ...f };
    this.ring[this.head] = frame;
    this.head = (this.head + 1) % this.capacity;
    if (this.listenerCount('frame')) this.emit('frame', frame);
  }

  /** Accounts a finished transaction (one request and its outcome). */
  account(unit: number, outcome: FrameOutcome, durationMs: number): void {
    const s = this.stats.get(unit) ?? emptyStats();
    s.requests++;
    if (outcome === 'ok' || outcome === 'exception') {
      const n = (this.okCount.get(unit) ?? 0) + 1;
      this.okCount.set(unit, n);
      s.meanMs += (durationMs - s.meanMs) / n;
      if (durationMs > s.maxMs) s.maxMs = durationMs;
    }
    if (outcome !== 'ok') s.errors++;
    if (outcome === 'timeout') s.timeouts++;
    if (outcome === 'crc-error') s.crcErrors++;
    if (outcome === 'exception') s.exceptions++;
    this.stats.set(unit, s);
  }

  countWrongUnit(unit: number): void {
    const s = this.stats.get(unit) ?? emptyStats();
    s.wrongUnit++;
    this.stats.set(unit, s);
  }

  /** Frames oldest first, optionally only those newer than `sinceSeq`. */
  countGarbage(unit: number): void {
    const s = this.stats.get(unit) ?? emptyStats();
    s.garbage++;
    this.stats.set(unit, s);
  }

  /** The newest frame's sequence number (0 before the first). */
  get lastSeq(): number {
    return this.seq;
  }

  frames(sinceSeq = 0): MonitorFrame[] {
    const out: MonitorFrame[] = [];
    for (let i = 0; i < this.capacity; i++) {
      const f = this.ring[(this.head + i) % this.capacity];
      if (f && f.seq > sinceSeq) out.push(f);
    }
    return out;
  }
}
