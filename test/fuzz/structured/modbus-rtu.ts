import type { ModelSignal, RegisterType } from '../../../src-main/devices/model-schema.js';
import { convert } from '../../../src-main/drivers/modbus-driver.js';
import { decodeRegisters, encodeRegisters, registerCount } from '../../../src-main/protocol/modbus/codec.js';
import { parseResponse, readRequest, writeSingleRequest } from '../../../src-main/protocol/modbus/pdu.js';
import { RtuResponseParser } from '../../../src-main/protocol/modbus/rtu-frame.js';
import { mutate } from '../harness.js';
import { rtuFrame } from './framing.js';
import { must, mustEqual } from './oracle.js';

/** Replies a meter sends: registers (fc 3, 4), an exception, write echoes (fc 6, 16). */
export const pdus = [
  Buffer.from([3, 4, 0x08, 0xfd, 0x00, 0x00]),
  Buffer.from([4, 8, 0x43, 0x66, 0x80, 0x00, 0x00, 0x01, 0x00, 0x02]),
  Buffer.from([0x83, 0x02]),
  Buffer.from([6, 0x11, 0x01, 0x00, 0x01]),
  Buffer.from([16, 0x00, 0x10, 0x00, 0x02]),
];
export const requests = [readRequest(3, 0, 2), readRequest(4, 0, 4), writeSingleRequest(0x1101, 1)];

const TYPES: RegisterType[] = ['int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64'];
const signal = (type: RegisterType): ModelSignal =>
  ({ key: 'fuzz', fc: 3, register: 0, type }) as ModelSignal;

/** How many fuzzed replies decoded to register values (counted by the check, not set by the mutator). */
export const rtuStats = { registerReplies: 0 };

/**
 * Mutates a reply PDU (function code, byte count, data, whole register words), then frames it again:
 * the byte count is fixed to the data most of the time and the CRC always, so the frame passes the
 * link layer and the PDU decoder gets the mutation. One in ten also breaks the frame afterwards.
 */
export function mutateRtu(base: Buffer, r: () => number): Buffer {
  let pdu = [...base];
  const ops = 1 + Math.floor(r() * 3);
  for (let k = 0; k < ops; k++) {
    const op = Math.floor(r() * 5);
    const at = 1 + Math.floor(r() * Math.max(1, pdu.length - 1));
    if (op === 0) pdu[0] = [3, 4, 6, 16, 0x83, 0x84, Math.floor(r() * 256)][Math.floor(r() * 7)]!;
    else if (op === 1 && pdu.length > 1) pdu[at % pdu.length] = Math.floor(r() * 256);
    else if (op === 2)
      pdu.push(...Array.from({ length: 2 * (1 + Math.floor(r() * 4)) }, () => Math.floor(r() * 256)));
    else if (op === 3 && pdu.length > 4) pdu.splice(2, 2 * Math.floor(r() * ((pdu.length - 2) / 2)));
    else pdu = [...mutate(Buffer.from(pdu), r)];
  }
  if (pdu.length === 0) pdu = [3];
  pdu = pdu.slice(0, 253);
  if (r() < 0.9) pdu = fixLength(pdu);
  const frame = rtuFrame(1 + Math.floor(r() * 247), Buffer.from(pdu));
  if (r() < 0.1) return mutate(frame, r);
  return frame;
}

/** RTU has no length field: the length follows from the function code, so the PDU is made to fit it. */
function fixLength(pdu: number[]): number[] {
  const fc = pdu[0] ?? 3;
  if (fc === 3 || fc === 4)
    return [fc, Math.max(0, pdu.length - 2) & 0xff, ...pdu.slice(2)].slice(0, 2 + 250);
  if (fc === 6 || fc === 16) return [...pdu, 0, 0, 0, 0].slice(0, 5);
  if (fc & 0x80) return [fc, pdu[1] ?? 0];
  return pdu;
}

/** Parses one fuzzed stream; returns whether a frame reached the PDU decoder. Throws on a broken oracle. */
export function checkRtu(input: Buffer): boolean {
  const p = new RtuResponseParser();
  // Split at a data-dependent point: chunking must not matter.
  const cut = input.length ? (input[0] ?? 0) % input.length : 0;
  let reached = false;
  for (const ev of [...p.push(input.subarray(0, cut)), ...p.push(input.subarray(cut))]) {
    if (ev.kind !== 'frame') continue;
    reached = true;
    mustEqual(rtuFrame(ev.unit, ev.pdu), ev.raw, 'a parsed frame framed again gives its bytes');
    const fc = (ev.pdu[0] ?? 0) & 0x7f;
    const count = (ev.pdu[1] ?? 0) >> 1 || 1;
    const asked = fc === 3 || fc === 4 ? [readRequest(fc, 0, Math.min(125, count)), ...requests] : requests;
    for (const req of asked) {
      const res = parseResponse(req, ev.pdu);
      if (res.kind === 'exception') must(res.code >= 0 && res.code <= 255, 'exception code is a byte');
      if (res.kind === 'registers') {
        rtuStats.registerReplies++;
        mustEqual(res.values.length, req.readUInt16BE(3), 'as many registers as asked');
        checkWords(res.values);
      }
    }
  }
  must(p.pending <= 600, 'parser buffer bounded');
  return reached;
}

/** Every type and word order: a number, finite or reported invalid (status 2); exact ones encode back. */
function checkWords(words: number[]): void {
  for (const type of TYPES) {
    const n = registerCount(type);
    if (words.length < n) continue;
    for (const order of ['msw', 'lsw', 'msw-byteswap', 'lsw-byteswap'] as const) {
      const raw = decodeRegisters(words, type, order);
      must(typeof raw === 'number', `${type} decodes to a number`);
      const reading = convert(signal(type), raw);
      if (reading.status === 1) must(Number.isFinite(reading.value), `${type} valid reading is finite`);
      else
        mustEqual(reading, { key: 'fuzz', value: null, status: 2 }, `${type} non-finite is reported invalid`);
      // Beyond 2^53 a JavaScript number cannot hold a 64-bit integer exactly; NaN payloads are not kept.
      if (Number.isFinite(raw) && Math.abs(raw) <= Number.MAX_SAFE_INTEGER)
        mustEqual(
          encodeRegisters(raw, type, order),
          words.slice(0, n),
          `${type}/${order} encode(decode(x)) = x`,
        );
    }
  }
}
