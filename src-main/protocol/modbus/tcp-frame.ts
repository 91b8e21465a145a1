import { Buffer } from 'node:buffer';
import { copyOf } from '../../util/bytes.js';
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

/** Where `feed` hands what it finds, in the order found. */
export interface TcpParseSink {
  /**
   * A whole ADU, the parser's caller's to keep; its PDU is `raw` from byte 7 on (no view of it is
   * made: a view is an allocation per reply).
   */
  frame(raw: Buffer, transactionId: number, unit: number): void;
  garbage(raw: Buffer): void;
}

const MAX_PDU = 253;
const NOTHING = Buffer.alloc(0);

export class TcpResponseParser {
  private buf: Buffer = NOTHING;

  reset(): void {
    this.buf = NOTHING;
  }

  /** What the chunk completes, as a list. */
  push(chunk: Buffer): TcpParseEvent[] {
    const events: TcpParseEvent[] = [];
    this.feed(chunk, {
      frame: (raw, transactionId, unit) =>
        events.push({ kind: 'frame', transactionId, unit, pdu: raw.subarray(7), raw }),
      garbage: (raw) => events.push({ kind: 'garbage', raw }),
    });
    return events;
  }

  /**
   * What the chunk completes, handed to the sink as found: a reply on a polled connection allocates
   * no list and no event object.
   */
  feed(chunk: Buffer, sink: TcpParseSink): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    while (this.buf.length >= 7) {
      const b = this.buf;
      const protocol = (b[2]! << 8) | b[3]!;
      const len = (b[4]! << 8) | b[5]!;
      if (protocol !== 0 || len < 2 || len > MAX_PDU + 1) {
        // A stream with a broken header cannot be resynchronised reliably: drop what we have.
        const raw = this.buf;
        this.buf = NOTHING;
        sink.garbage(raw);
        break;
      }
      if (this.buf.length < 6 + len) break;
      // A chunk holding exactly this frame is the transport's own copy already: no second copy.
      const raw = this.buf.length === 6 + len ? this.buf : copyOf(this.buf, 6 + len);
      this.buf = this.buf.length === 6 + len ? NOTHING : this.buf.subarray(6 + len);
      sink.frame(raw, (raw[0]! << 8) | raw[1]!, raw[6]!);
    }
  }
}
