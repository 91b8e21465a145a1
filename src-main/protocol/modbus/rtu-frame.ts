import { Buffer } from 'node:buffer';
import { copyOf } from '../../util/bytes.js';
import { crc16Modbus } from './crc16.js';
import { expectedResponsePduLength } from './pdu.js';

export function buildRtuFrame(unit: number, pdu: Buffer): Buffer {
  // Every byte is written below: a slice of Node's buffer pool, not an ArrayBuffer of its own.
  const b = Buffer.allocUnsafe(pdu.length + 3);
  b[0] = unit;
  pdu.copy(b, 1);
  const crc = crc16Modbus(b, 0, pdu.length + 1);
  b.writeUInt16LE(crc, pdu.length + 1);
  return b;
}

export type RtuParseEvent =
  | { kind: 'frame'; unit: number; pdu: Buffer; raw: Buffer }
  | { kind: 'crc-error'; raw: Buffer }
  | { kind: 'garbage'; raw: Buffer };

/** Where `feed` hands what it finds, in the order found. */
export interface RtuParseSink {
  /**
   * A frame with a good CRC, the parser's caller's to keep; its PDU is `raw` from byte 1 to
   * `raw.length - 2` (no view of it is made: a view is an allocation per reply).
   */
  frame(raw: Buffer, unit: number): void;
  crcError(raw: Buffer): void;
  garbage(raw: Buffer): void;
}

const MAX_BUFFER = 512;
const NOTHING = Buffer.alloc(0);

/**
 * Incremental RTU response parser. RTU has no length field: the length comes from the function code.
 * Bytes that cannot start a frame are reported as garbage so the bus monitor can show them.
 */
export class RtuResponseParser {
  private buf: Buffer = NOTHING;

  reset(): Buffer {
    const rest = this.buf;
    this.buf = NOTHING;
    return rest;
  }

  get pending(): number {
    return this.buf.length;
  }

  /** What the chunk completes, as a list. */
  push(chunk: Buffer): RtuParseEvent[] {
    const events: RtuParseEvent[] = [];
    this.feed(chunk, {
      frame: (raw, unit) => events.push({ kind: 'frame', unit, pdu: raw.subarray(1, raw.length - 2), raw }),
      crcError: (raw) => events.push({ kind: 'crc-error', raw }),
      garbage: (raw) => events.push({ kind: 'garbage', raw }),
    });
    return events;
  }

  /**
   * What the chunk completes, handed to the sink as found: a reply on a polled line allocates no
   * list and no event object.
   */
  feed(chunk: Buffer, sink: RtuParseSink): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      if (this.buf.length < 4) break;
      const pduLen = expectedResponsePduLength(this.buf, 1);
      if (pduLen === undefined) {
        if (this.buf.length >= 2 && !isPlausibleStart(this.buf)) {
          const raw = this.buf.subarray(0, 1);
          this.buf = this.buf.subarray(1);
          sink.garbage(raw);
          continue;
        }
        break;
      }
      const total = 1 + pduLen + 2;
      if (this.buf.length < total) {
        if (this.buf.length > MAX_BUFFER) {
          const raw = this.buf;
          this.buf = NOTHING;
          sink.garbage(raw);
        }
        break;
      }
      const buf = this.buf;
      if (crc16Modbus(buf, 0, total - 2) === (buf[total - 2]! | (buf[total - 1]! << 8))) {
        // A chunk holding exactly this frame is the transport's own copy already; otherwise one copy
        // (the chunk may be a view of a larger buffer).
        const raw = buf.length === total ? buf : copyOf(buf, total);
        this.buf = buf.length === total ? NOTHING : buf.subarray(total);
        sink.frame(raw, raw[0]!);
        continue;
      }
      // A bad CRC may be a misaligned start: try to find a valid frame one byte later before giving up.
      const resync = findValidFrame(this.buf, 1);
      if (resync > 0) {
        const raw = Buffer.from(this.buf.subarray(0, resync));
        this.buf = this.buf.subarray(resync);
        sink.garbage(raw);
        continue;
      }
      const raw = Buffer.from(buf.subarray(0, total));
      this.buf = this.buf.subarray(total);
      sink.crcError(raw);
    }
  }
}

function isPlausibleStart(buf: Buffer): boolean {
  const fc = buf[1] ?? 0;
  return expectedResponsePduLength(Buffer.from([fc, 0]), 0) !== undefined;
}

function findValidFrame(buf: Buffer, from: number): number {
  for (let i = from; i + 4 <= buf.length; i++) {
    const pduLen = expectedResponsePduLength(buf, i + 1);
    if (pduLen === undefined) continue;
    const total = 1 + pduLen + 2;
    if (i + total > buf.length) continue;
    if (crc16Modbus(buf, i, i + total - 2) === buf.readUInt16LE(i + total - 2)) return i;
  }
  return -1;
}
