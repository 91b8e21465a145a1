import { copyOf } from './bytes.js';
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

  push(chunk: Buffer): RtuParseEvent[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const events: RtuParseEvent[] = [];
    for (;;) {
      if (this.buf.length < 4) break;
      const pduLen = expectedResponsePduLength(this.buf, 1);
      if (pduLen === undefined) {
        if (this.buf.length >= 2 && !isPlausibleStart(this.buf)) {
          events.push({ kind: 'garbage', raw: this.buf.subarray(0, 1) });
          this.buf = this.buf.subarray(1);
          continue;
        }
        break;
      }
      const total = 1 + pduLen + 2;
      if (this.buf.length < total) {
        if (this.buf.length > MAX_BUFFER) {
          events.push({ kind: 'garbage', raw: this.buf });
          this.buf = NOTHING;
        }
        break;
      }
      const buf = this.buf;
      if (crc16Modbus(buf, 0, total - 2) === buf.readUInt16LE(total - 2)) {
        // A chunk holding exactly this frame is the transport's own copy already; otherwise one copy
        // (the chunk may be a view of a larger buffer). The PDU is a view of it.
        const raw = buf.length === total ? buf : copyOf(buf, total);
        events.push({ kind: 'frame', unit: raw[0] ?? 0, pdu: raw.subarray(1, total - 2), raw });
        this.buf = buf.length === total ? NOTHING : buf.subarray(total);
        continue;
      }
      // A bad CRC may be a misaligned start: try to find a valid frame one byte later before giving up.
      const resync = findValidFrame(this.buf, 1);
      if (resync > 0) {
        events.push({ kind: 'garbage', raw: Buffer.from(this.buf.subarray(0, resync)) });
        this.buf = this.buf.subarray(resync);
        continue;
      }
      events.push({ kind: 'crc-error', raw: Buffer.from(buf.subarray(0, total)) });
      this.buf = this.buf.subarray(total);
    }
    return events;
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
