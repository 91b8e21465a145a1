import { Buffer } from 'node:buffer';
/** Modbus PDUs (function code + data), independent of RTU or TCP framing. */

export const EXCEPTION_NAMES: Record<number, string> = {
  1: 'illegal function',
  2: 'illegal data address',
  3: 'illegal data value',
  4: 'slave device failure',
  5: 'acknowledge',
  6: 'slave device busy',
  8: 'memory parity error',
  10: 'gateway path unavailable',
  11: 'gateway target failed to respond',
};

export type ReadFc = 3 | 4;

export function readRequest(fc: ReadFc, address: number, count: number): Buffer {
  if (count < 1 || count > 125) throw new RangeError(`register count ${count} outside 1..125`);
  const b = Buffer.alloc(5);
  b[0] = fc;
  b.writeUInt16BE(address, 1);
  b.writeUInt16BE(count, 3);
  return b;
}

export function writeSingleRequest(address: number, value: number): Buffer {
  const b = Buffer.alloc(5);
  b[0] = 6;
  b.writeUInt16BE(address, 1);
  b.writeUInt16BE(value & 0xffff, 3);
  return b;
}

export function writeMultipleRequest(address: number, values: readonly number[]): Buffer {
  if (values.length < 1 || values.length > 123) throw new RangeError(`write of ${values.length} registers`);
  const b = Buffer.alloc(6 + values.length * 2);
  b[0] = 16;
  b.writeUInt16BE(address, 1);
  b.writeUInt16BE(values.length, 3);
  b[5] = values.length * 2;
  values.forEach((v, i) => b.writeUInt16BE(v & 0xffff, 6 + i * 2));
  return b;
}

export type PduResult =
  | { kind: 'registers'; values: number[] }
  | { kind: 'written'; address: number; quantity: number }
  | { kind: 'exception'; code: number }
  | { kind: 'malformed'; reason: string };

/** Interprets a response PDU against the request that caused it. */
export function parseResponse(request: Buffer, pdu: Buffer): PduResult {
  return parseResponseIn(request, pdu, 0, pdu.length);
}

/**
 * Interprets the response PDU held in `buf` from `start` to `end` (a frame's PDU, read in place: no
 * view of it is made per reply).
 */
export function parseResponseIn(request: Buffer, buf: Uint8Array, start: number, end: number): PduResult {
  const fc = request[0] ?? 0;
  const length = end - start;
  if (length <= 0) return { kind: 'malformed', reason: 'empty PDU' };
  const rfc = buf[start]!;
  if (rfc === (fc | 0x80)) return { kind: 'exception', code: length > 1 ? buf[start + 1]! : 0 };
  if (rfc !== fc) return { kind: 'malformed', reason: `function ${rfc} in reply to ${fc}` };
  if (fc === 3 || fc === 4) {
    const count = (request[3]! << 8) | request[4]!;
    const n = length > 1 ? buf[start + 1]! : 0;
    if (n !== count * 2 || length !== 2 + n)
      return { kind: 'malformed', reason: `byte count ${n} for ${count} registers` };
    const values = new Array<number>(count);
    for (let i = 0, at = start + 2; i < count; i++, at += 2) values[i] = (buf[at]! << 8) | buf[at + 1]!;
    return { kind: 'registers', values };
  }
  if (fc === 6 || fc === 16) {
    if (length !== 5) return { kind: 'malformed', reason: `write reply of ${length} bytes` };
    const address = u16(buf, start + 1);
    const quantity = fc === 6 ? 1 : u16(buf, start + 3);
    if (address !== request.readUInt16BE(1))
      return { kind: 'malformed', reason: 'write reply for another register' };
    if (fc === 6 && u16(buf, start + 3) !== request.readUInt16BE(3))
      return { kind: 'malformed', reason: 'write echo differs from the value sent' };
    return { kind: 'written', address, quantity };
  }
  return { kind: 'malformed', reason: `unsupported function ${fc}` };
}

function u16(buf: Uint8Array, at: number): number {
  return (buf[at]! << 8) | buf[at + 1]!;
}

/**
 * Length of a response PDU whose first bytes are in `head`, or undefined until enough is known.
 * RTU carries no length field, so the frame end is derived from the function code.
 */
export function expectedResponsePduLength(head: Buffer, offset: number): number | undefined {
  const fc = head[offset];
  if (fc === undefined) return undefined;
  if (fc & 0x80) return 2;
  if (fc === 1 || fc === 2 || fc === 3 || fc === 4 || fc === 17 || fc === 23) {
    const n = head[offset + 1];
    return n === undefined ? undefined : 2 + n;
  }
  if (fc === 5 || fc === 6 || fc === 15 || fc === 16 || fc === 8) return 5;
  return undefined;
}

export function describeFunction(fc: number): string {
  const base = fc & 0x7f;
  const names: Record<number, string> = {
    3: 'read holding',
    4: 'read input',
    6: 'write single',
    16: 'write multiple',
    8: 'diagnostics',
    17: 'report slave id',
  };
  const name = names[base] ?? `function ${base}`;
  return fc & 0x80 ? `${name} (exception)` : name;
}
