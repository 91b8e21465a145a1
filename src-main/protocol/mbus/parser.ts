import { mbusChecksum } from './checksum.js';
import { fail, ok, type MbusError, type Result } from './errors.js';
import { ACK, START_LONG, START_SHORT, STOP, type MbusFrame } from './frame.js';

export type MbusParseEvent =
  | { kind: 'frame'; frame: MbusFrame; raw: Buffer }
  /** Bytes that began like a frame but are not a valid one (bad checksum, missing stop byte, bad L). */
  | { kind: 'error'; error: MbusError; raw: Buffer }
  /** Bytes that cannot start any frame. */
  | { kind: 'garbage'; raw: Buffer };

const SHORT_LENGTH = 5;
const LONG_OVERHEAD = 6;

/**
 * Incremental wired M-Bus link-layer parser: push chunks as they arrive, get complete frames and
 * errors. It never waits for more than one maximum-size frame (261 bytes) and resynchronises on the
 * next possible start byte after anything invalid, so garbage on the line cannot wedge it.
 */
export class MbusFrameParser {
  private buf: Buffer = Buffer.alloc(0);

  get pending(): number {
    return this.buf.length;
  }

  push(chunk: Uint8Array): MbusParseEvent[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : Buffer.from(chunk);
    const events: MbusParseEvent[] = [];
    let garbageStart = -1;
    let pos = 0;
    const flushGarbage = (): void => {
      if (garbageStart >= 0)
        events.push({ kind: 'garbage', raw: Buffer.from(this.buf.subarray(garbageStart, pos)) });
      garbageStart = -1;
    };
    while (pos < this.buf.length) {
      const step = this.scan(pos);
      if (step.kind === 'wait') break;
      if (step.kind === 'garbage') {
        if (garbageStart < 0) garbageStart = pos;
        pos += 1;
        continue;
      }
      flushGarbage();
      const raw = Buffer.from(this.buf.subarray(pos, pos + step.length));
      if (step.kind === 'frame') events.push({ kind: 'frame', frame: step.frame, raw });
      else events.push({ kind: 'error', error: step.error, raw });
      pos += step.length;
    }
    flushGarbage();
    this.buf = this.buf.subarray(pos);
    return events;
  }

  /** Reports whatever is still buffered (a frame cut short by a timeout) and starts afresh. */
  flush(): MbusParseEvent[] {
    const rest = this.buf;
    this.buf = Buffer.alloc(0);
    if (rest.length === 0) return [];
    return [
      {
        kind: 'error',
        error: { code: 'premature-end', message: `frame cut short after ${rest.length} bytes` },
        raw: Buffer.from(rest),
      },
    ];
  }

  private scan(
    pos: number,
  ):
    | { kind: 'wait' }
    | { kind: 'garbage' }
    | { kind: 'frame'; frame: MbusFrame; length: number }
    | { kind: 'error'; error: MbusError; length: number } {
    const b = this.buf;
    const avail = b.length - pos;
    const first = b[pos];
    if (first === ACK) return { kind: 'frame', frame: { type: 'ack' }, length: 1 };
    if (first === START_SHORT) {
      if (avail < SHORT_LENGTH) return { kind: 'wait' };
      if (b[pos + 4] !== STOP) return { kind: 'garbage' };
      const control = b[pos + 1] ?? 0;
      const address = b[pos + 2] ?? 0;
      if (((control + address) & 0xff) !== b[pos + 3]) {
        return {
          kind: 'error',
          error: { code: 'bad-checksum', message: 'short frame checksum mismatch' },
          length: SHORT_LENGTH,
        };
      }
      return { kind: 'frame', frame: { type: 'short', control, address }, length: SHORT_LENGTH };
    }
    if (first !== START_LONG) return { kind: 'garbage' };
    if (avail < 4) return { kind: 'wait' };
    const l = b[pos + 1] ?? 0;
    if (b[pos + 2] !== l || b[pos + 3] !== START_LONG) return { kind: 'garbage' };
    if (l < 3) {
      return {
        kind: 'error',
        error: { code: 'bad-frame', message: `long frame with L = ${l}, at least 3 required` },
        length: 1,
      };
    }
    const total = l + LONG_OVERHEAD;
    if (avail < total) return { kind: 'wait' };
    if (b[pos + total - 1] !== STOP) {
      // Not a frame after all; skip only the start byte so a real frame inside these bytes is still found.
      return {
        kind: 'error',
        error: { code: 'bad-frame', message: `no stop byte at the end of a long frame with L = ${l}` },
        length: 1,
      };
    }
    if (mbusChecksum(b, pos + 4, pos + total - 2) !== b[pos + total - 2]) {
      return {
        kind: 'error',
        error: { code: 'bad-checksum', message: `long frame checksum mismatch (L = ${l})` },
        length: total,
      };
    }
    const control = b[pos + 4] ?? 0;
    const address = b[pos + 5] ?? 0;
    const ci = b[pos + 6] ?? 0;
    const frame: MbusFrame =
      l === 3
        ? { type: 'control', control, address, ci }
        : { type: 'long', control, address, ci, data: Buffer.from(b.subarray(pos + 7, pos + total - 2)) };
    return { kind: 'frame', frame, length: total };
  }
}

/** Decodes a buffer that must hold exactly one frame and nothing else. */
export function decodeFrame(bytes: Uint8Array): Result<MbusFrame> {
  const parser = new MbusFrameParser();
  const events = [...parser.push(bytes), ...parser.flush()];
  const first = events[0];
  if (!first) return fail('premature-end', 'no bytes');
  if (first.kind === 'error') return { ok: false, error: first.error };
  if (first.kind === 'garbage')
    return fail('bad-frame', `${first.raw.length} byte(s) that do not start a frame`, 0);
  if (events.length > 1) {
    const rest = bytes.length - first.raw.length;
    return fail('trailing-bytes', `${rest} byte(s) after a ${first.raw.length}-byte frame`, first.raw.length);
  }
  return ok(first.frame);
}
