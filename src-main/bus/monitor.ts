import { Buffer } from 'node:buffer';
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';

import type { FrameOutcome } from '../../src-preload/contract/views.js';
import { FrameRing, type FrameRecord } from './frame-ring.js';

export type { FrameOutcome, FrameRecord };

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

/** A unit's statistics and the count of its answers its mean duration is taken over. */
interface UnitRow {
  stats: UnitStats;
  answered: number;
}

/** A bounded ring of frames plus per-unit statistics: what the bus monitor shows. */
export class BusMonitor extends EventEmitter<{ frame: [MonitorFrame] }> {
  // Allocated once: recording a frame is O(1) and allocates nothing for the ring however full it is.
  private readonly ring: FrameRing;
  private readonly byUnit = new Map<number, UnitStats>();
  private frameListeners = 0;
  /**
   * A good reply's row and its accounting, held back until the next request is on the wire (the bus
   * calls `release`) or anything reads or records here: on a polled line the reply's bookkeeping then
   * runs while the peer works, not between a reply and the next request. Everything that reads the
   * monitor releases it first, so nobody sees it late.
   */
  private heldBytes: Buffer | undefined;
  private heldUnit = 0;
  private heldFc = 0;
  private heldDurationMs = 0;
  private heldAt = 0;
  private heldOk = false;
  private heldMs = 0;
  private readonly units: (UnitRow | undefined)[] = new Array<UnitRow | undefined>(256).fill(undefined);

  constructor(
    readonly bus: string,
    readonly capacity = 2000,
  ) {
    super();
    this.ring = new FrameRing(capacity);
    // Counted here: EventEmitter#listenerCount is one lookup site shared by every emitter in the
    // process (megamorphic), and record() asks for every frame.
    const untyped = this as EventEmitter;
    untyped.on('newListener', (event: string) => {
      if (event === 'frame') this.frameListeners++;
    });
    untyped.on('removeListener', (event: string) => {
      if (event === 'frame') this.frameListeners--;
    });
  }

  /** Removes the frame listeners; the monitor's own counting of them stays. */
  override removeAllListeners(event?: 'frame'): this {
    return super.removeAllListeners(event ?? 'frame');
  }

  /** Per-unit statistics, by unit address. */
  get stats(): Map<number, UnitStats> {
    this.release();
    return this.byUnit;
  }

  /**
   * Holds a reply's row (outcome 'ok', read at `at`, performance.now()) until `release`; a row held
   * before is stored first.
   */
  hold(bytes: Buffer, unit: number, fc: number, durationMs: number, at: number): void {
    this.release();
    // A listener (the live monitor) is told at once.
    if (this.frameListeners !== 0) {
      this.store({ dir: 'rx', bytes, unit, fc, outcome: 'ok', durationMs }, at);
      return;
    }
    this.heldBytes = bytes;
    this.heldUnit = unit;
    this.heldFc = fc;
    this.heldDurationMs = durationMs;
    this.heldAt = at;
  }

  /**
   * The held reply's transaction ended well, `ms` after its request: accounted as 'ok' when the row
   * is stored. False when no row is held (it was stored already): then the caller accounts it.
   */
  holdOk(ms: number): boolean {
    if (!this.heldBytes) return false;
    this.heldOk = true;
    this.heldMs = ms;
    return true;
  }

  /** Stores the held reply row and its accounting, if any. */
  release(): void {
    const bytes = this.heldBytes;
    if (!bytes) return;
    this.heldBytes = undefined;
    const unit = this.heldUnit;
    this.store(
      { dir: 'rx', bytes, unit, fc: this.heldFc, outcome: 'ok', durationMs: this.heldDurationMs },
      this.heldAt,
    );
    if (this.heldOk) {
      this.heldOk = false;
      this.tally(unit, 'ok', this.heldMs);
    }
  }

  /** Stores a frame; `at` is its performance.now() when the caller has read the clock already. */
  record(f: FrameRecord, at?: number): void {
    this.release();
    this.store(f, at);
  }

  private store(f: FrameRecord, at: number | undefined): void {
    const t = at === undefined ? Date.now() : wallTimeOf(at);
    const seq = this.ring.push(f, t);
    // Only a listener (the monitor hub, a scan) needs the frame as an object with its hex.
    if (this.frameListeners === 0) return;
    const { bytes, ...rest } = f;
    this.emit('frame', { seq, t, bus: this.bus, ...rest, hex: hexOf(bytes) });
  }

  /** Accounts a finished transaction (one request and its outcome). */
  account(unit: number, outcome: FrameOutcome, durationMs: number): void {
    this.release();
    this.tally(unit, outcome, durationMs);
  }

  private tally(unit: number, outcome: FrameOutcome, durationMs: number): void {
    const u = this.unitRow(unit);
    const s = u.stats;
    s.requests++;
    if (outcome === 'ok' || outcome === 'exception') {
      const n = ++u.answered;
      s.meanMs += (durationMs - s.meanMs) / n;
      if (durationMs > s.maxMs) s.maxMs = durationMs;
    }
    if (outcome !== 'ok') s.errors++;
    if (outcome === 'timeout') s.timeouts++;
    if (outcome === 'crc-error') s.crcErrors++;
    if (outcome === 'exception') s.exceptions++;
  }

  countWrongUnit(unit: number): void {
    this.release();
    this.unitRow(unit).stats.wrongUnit++;
  }

  countGarbage(unit: number): void {
    this.release();
    this.unitRow(unit).stats.garbage++;
  }

  /**
   * A unit's statistics by index (a unit address is one byte): `stats` holds the same objects for
   * readers, but a transaction looks its unit up once, not in three Maps.
   */
  private unitRow(unit: number): UnitRow {
    const u = this.units[unit & 0xff];
    if (u) return u;
    const row: UnitRow = { stats: emptyStats(), answered: 0 };
    this.units[unit & 0xff] = row;
    this.byUnit.set(unit, row.stats);
    return row;
  }

  /** The newest frame's sequence number (0 before the first). */
  get lastSeq(): number {
    this.release();
    return this.ring.lastSeq;
  }

  /** Frames oldest first, optionally only those newer than `sinceSeq`. */
  frames(sinceSeq = 0): MonitorFrame[] {
    this.release();
    return this.ring.frames(sinceSeq).map((f) => ({ ...f, bus: this.bus }));
  }
}

let wallOffset = 0;
let offsetReadAt = -Infinity;

/**
 * Wall-clock ms of a performance.now() reading. The offset between the clocks is read again at most
 * once a second, so a stepped system clock shows within a second; a Modbus transaction then reads
 * the clock twice instead of four times (each read is a measurable share of a loopback transaction).
 */
function wallTimeOf(at: number): number {
  if (at - offsetReadAt > 1000 || at < offsetReadAt) {
    offsetReadAt = performance.now();
    wallOffset = Date.now() - offsetReadAt;
  }
  return Math.round(at + wallOffset);
}

function hexOf(bytes: Uint8Array): string {
  return (
    Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
  ).toString('hex');
}
