import { Buffer } from 'node:buffer';
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

/** Bytes kept of one frame: a Modbus ADU is ≤ 260; longer runs are line noise, kept in part. */
/** Frames up to this long are copied into the arena byte by byte. */
const SHORT_COPY = 64;
export const MAX_KEPT_BYTES = 512;

/** Bytes of one row: three float64 (time, arena offset, duration) and two int32 of small fields. */
const ROW_BYTES = 32;
/** A row's first float64 and its first int32 of small fields, for row `i`. */
const f64At = (i: number): number => i * (ROW_BYTES / 8);
const i32At = (i: number): number => i * (ROW_BYTES / 4) + 6;
const OK_CODE = OUTCOMES.indexOf('ok');

/**
 * The last `capacity` frames of one bus in storage allocated once, when the bus is made: a row of
 * fixed size per frame and one circular byte arena for the frames' bytes. Recording a frame copies its
 * bytes and writes one row; nothing is allocated per frame, so a full ring weighs what an empty one
 * does (per-frame objects with hex strings cost ~214 bytes each and made the engine's heap grow for
 * the minutes a ring took to fill). A row's fields sit side by side: between two replies the other
 * processes of a busy machine evict our caches, and a column per field made each record touch ten
 * cache lines instead of one. When the arena wraps first (long frames), the oldest frames go.
 */
export class FrameRing {
  private seq = 0;
  /** Bytes ever written to the arena; a frame's bytes are intact while `written - start ≤ arena size`. */
  private written = 0;
  private readonly arena: Uint8Array;
  /** Per row: [0] wall time, [1] arena offset (`written` then), [2] duration or NaN. */
  private readonly f64: Float64Array;
  /** Per row: [6] length | dir << 16 | outcome << 20, [7] unit | fc << 8 | (exception code + 1) << 16. */
  private readonly i32: Int32Array;
  private readonly notes: (string | undefined)[];

  constructor(
    readonly capacity: number,
    arenaBytes = capacity * 64,
  ) {
    this.arena = new Uint8Array(Math.max(arenaBytes, MAX_KEPT_BYTES));
    const rows = new ArrayBuffer(capacity * ROW_BYTES);
    this.f64 = new Float64Array(rows);
    this.i32 = new Int32Array(rows);
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
    // The common frame fits before the arena's end: copied without a view (a view is an allocation),
    // a short one byte by byte (TypedArray#set's checks cost more than copying a Modbus frame).
    if (first === kept.length) {
      if (first <= SHORT_COPY) for (let k = 0; k < first; k++) this.arena[at + k] = kept[k]!;
      else this.arena.set(kept, at);
    } else {
      this.arena.set(kept.subarray(0, first), at);
      this.arena.set(kept.subarray(first), 0);
    }
    const r = f64At(i);
    this.f64[r] = t;
    this.f64[r + 1] = this.written;
    this.f64[r + 2] = f.durationMs ?? NaN;
    const dir = DIRS.indexOf(f.dir);
    // A reply's 'ok' first: the common row compares one string, not a list of them.
    const outcome =
      f.outcome === undefined ? 0 : f.outcome === 'ok' ? OK_CODE : Math.max(0, OUTCOMES.indexOf(f.outcome));
    const s = i32At(i);
    this.i32[s] = kept.length | (dir << 16) | (outcome << 20);
    this.i32[s + 1] = (f.unit & 0xff) | ((f.fc & 0xff) << 8) | (((f.exceptionCode ?? -1) + 1) << 16);
    this.written += kept.length;
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
      if (this.written - this.f64[f64At(i) + 1]! > this.arena.length) continue;
      out.push(this.frame(seq, i));
    }
    return out;
  }

  private frame(seq: number, i: number): StoredFrame {
    const r = f64At(i);
    const a = this.i32[i32At(i)]!;
    const b = this.i32[i32At(i) + 1]!;
    const f: StoredFrame = {
      seq,
      t: this.f64[r]!,
      dir: DIRS[(a >> 16) & 0xf]!,
      hex: this.hex(this.f64[r + 1]!, a & 0xffff),
      unit: b & 0xff,
      fc: (b >> 8) & 0xff,
    };
    const d = this.f64[r + 2]!;
    if (!Number.isNaN(d)) f.durationMs = d;
    const o = OUTCOMES[(a >> 20) & 0xf];
    if (o) f.outcome = o;
    const exception = (b >> 16) - 1;
    if (exception >= 0) f.exceptionCode = exception;
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
