import type { FrameOutcome } from '../../src-preload/contract/views.js';

/** One frame as the bus hands it to the monitor: the bytes themselves, not their hex. */
export interface FrameRecord {
  dir: 'tx' | 'rx' | 'none';
  /** The frame's bytes (empty for a row without bytes: a timeout, a disconnect). */
  bytes: Uint8Array;
  unit: number;
  fc: number;
  durationMs?: number;
  outcome?: FrameOutcome;
  exceptionCode?: number;
  note?: string;
}

/** A frame read back from the ring. */
export interface StoredFrame extends Omit<FrameRecord, 'bytes'> {
  seq: number;
  t: number;
  hex: string;
}

const DIRS = ['tx', 'rx', 'none'] as const;
const OUTCOMES: readonly (FrameOutcome | undefined)[] = [
  undefined,
  'ok',
  'timeout',
  'crc-error',
  'exception',
  'wrong-unit',
  'garbage',
  'malformed',
  'disconnected',
];
const OUTCOME_CODE = new Map(OUTCOMES.map((o, i) => [o, i]));

/** Bytes kept of one frame: a Modbus ADU is ≤ 260; longer runs are line noise, kept in part. */
export const MAX_KEPT_BYTES = 512;

/**
 * The last `capacity` frames of one bus in storage allocated once, when the bus is made: a column per
 * field and one circular byte arena for the frames' bytes. Recording a frame copies its bytes and
 * writes a few numbers; nothing is allocated per frame, so a full ring weighs what an empty one does
 * (per-frame objects with hex strings cost ~214 bytes each and made the engine's heap grow for the
 * minutes a ring took to fill). When the arena wraps first (long frames), the oldest frames go.
 */
export class FrameRing {
  private seq = 0;
  /** Bytes ever written to the arena; a frame's bytes are intact while `written - start ≤ arena size`. */
  private written = 0;
  private readonly arena: Uint8Array;
  private readonly t: Float64Array;
  private readonly start: Float64Array;
  private readonly len: Uint16Array;
  private readonly duration: Float64Array;
  private readonly dir: Uint8Array;
  private readonly unit: Uint8Array;
  private readonly fc: Uint8Array;
  private readonly outcome: Uint8Array;
  private readonly exception: Int16Array;
  private readonly notes: (string | undefined)[];

  constructor(
    readonly capacity: number,
    arenaBytes = capacity * 64,
  ) {
    this.arena = new Uint8Array(Math.max(arenaBytes, MAX_KEPT_BYTES));
    this.t = new Float64Array(capacity);
    this.start = new Float64Array(capacity);
    this.len = new Uint16Array(capacity);
    this.duration = new Float64Array(capacity);
    this.dir = new Uint8Array(capacity);
    this.unit = new Uint8Array(capacity);
    this.fc = new Uint8Array(capacity);
    this.outcome = new Uint8Array(capacity);
    this.exception = new Int16Array(capacity);
    this.notes = new Array<string | undefined>(capacity).fill(undefined);
  }

  /** The newest frame's sequence number (0 before the first). */
  get lastSeq(): number {
    return this.seq;
  }

  /** Stores a frame; returns its sequence number. */
  push(f: FrameRecord, t: number): number {
    const seq = ++this.seq;
    const i = (seq - 1) % this.capacity;
    const kept = f.bytes.length > MAX_KEPT_BYTES ? f.bytes.subarray(0, MAX_KEPT_BYTES) : f.bytes;
    const at = this.written % this.arena.length;
    const first = Math.min(kept.length, this.arena.length - at);
    // The common frame fits before the arena's end: copied without a view (a view is an allocation).
    if (first === kept.length) this.arena.set(kept, at);
    else {
      this.arena.set(kept.subarray(0, first), at);
      this.arena.set(kept.subarray(first), 0);
    }
    this.start[i] = this.written;
    this.len[i] = kept.length;
    this.written += kept.length;
    this.t[i] = t;
    this.dir[i] = DIRS.indexOf(f.dir);
    this.unit[i] = f.unit;
    this.fc[i] = f.fc;
    this.duration[i] = f.durationMs ?? NaN;
    this.outcome[i] = OUTCOME_CODE.get(f.outcome) ?? 0;
    this.exception[i] = f.exceptionCode ?? -1;
    this.notes[i] =
      kept === f.bytes
        ? f.note
        : `${f.note ? `${f.note}; ` : ''}${f.bytes.length} bytes, the first ${MAX_KEPT_BYTES} kept`;
    return seq;
  }

  /** Frames newer than `sinceSeq` still held, oldest first. */
  frames(sinceSeq = 0): StoredFrame[] {
    const out: StoredFrame[] = [];
    for (let seq = Math.max(sinceSeq, this.seq - this.capacity) + 1; seq <= this.seq; seq++) {
      const i = (seq - 1) % this.capacity;
      // Bytes overwritten by newer frames: this frame (and every older one) is gone.
      if (this.written - this.start[i]! > this.arena.length) continue;
      out.push(this.frame(seq, i));
    }
    return out;
  }

  private frame(seq: number, i: number): StoredFrame {
    const f: StoredFrame = {
      seq,
      t: this.t[i]!,
      dir: DIRS[this.dir[i]!]!,
      hex: this.hex(this.start[i]!, this.len[i]!),
      unit: this.unit[i]!,
      fc: this.fc[i]!,
    };
    const d = this.duration[i]!;
    if (!Number.isNaN(d)) f.durationMs = d;
    const o = OUTCOMES[this.outcome[i]!];
    if (o) f.outcome = o;
    if (this.exception[i]! >= 0) f.exceptionCode = this.exception[i]!;
    const note = this.notes[i];
    if (note !== undefined) f.note = note;
    return f;
  }

  private hex(start: number, len: number): string {
    const at = start % this.arena.length;
    const first = Math.min(len, this.arena.length - at);
    const head = Buffer.from(this.arena.buffer, this.arena.byteOffset + at, first).toString('hex');
    return first < len
      ? head + Buffer.from(this.arena.buffer, this.arena.byteOffset, len - first).toString('hex')
      : head;
  }
}
