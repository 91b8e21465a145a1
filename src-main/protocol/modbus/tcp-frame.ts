import { copyOf } from './bytes.js';
/** Modbus TCP MBAP framing: transaction id, protocol 0, length, unit, PDU. */
export function buildTcpFrame(transactionId: number, unit: number, pdu: Buffer): Buffer {
  // Every byte is written below: a slice of Node's buffer pool, not an ArrayBuffer of its own.
  const b = Buffer.allocUnsafe(7 + pdu.length);
  b.writeUInt16BE(transactionId & 0xffff, 0);
  b.writeUInt16BE(0, 2);
  b.writeUInt16BE(pdu.length + 1, 4);
  b[6] = unit;
  pdu.copy(b, 7);
  return b;
}

export type TcpParseEvent =
  | { kind: 'frame'; transactionId: number; unit: number; pdu: Buffer; raw: Buffer }
  | { kind: 'garbage'; raw: Buffer };

const MAX_PDU = 253;
const NOTHING = Buffer.alloc(0);

export class TcpResponseParser {
  private buf: Buffer = NOTHING;

  reset(): void {
    this.buf = NOTHING;
  }

  push(chunk: Buffer): TcpParseEvent[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const events: TcpParseEvent[] = [];
    while (this.buf.length >= 7) {
      const protocol = this.buf.readUInt16BE(2);
      const len = this.buf.readUInt16BE(4);
      if (protocol !== 0 || len < 2 || len > MAX_PDU + 1) {
        // A stream with a broken header cannot be resynchronised reliably: drop what we have.
        events.push({ kind: 'garbage', raw: this.buf });
        this.buf = NOTHING;
        break;
      }
      if (this.buf.length < 6 + len) break;
      // A chunk holding exactly this frame is the transport's own copy already: no second copy.
      const raw = this.buf.length === 6 + len ? this.buf : copyOf(this.buf, 6 + len);
      events.push({
        kind: 'frame',
        transactionId: raw.readUInt16BE(0),
        unit: raw[6] ?? 0,
        pdu: raw.subarray(7),
        raw,
      });
      this.buf = this.buf.length === 6 + len ? NOTHING : this.buf.subarray(6 + len);
    }
    return events;
  }
}
