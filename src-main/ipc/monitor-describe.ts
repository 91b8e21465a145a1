import type { Framing } from '../bus/modbus-bus.js';
import type { MonitorFrame } from '../bus/monitor.js';
import { EXCEPTION_NAMES } from '../protocol/modbus/pdu.js';

const FUNCTIONS: Record<number, string> = {
  1: 'Read coils',
  2: 'Read discrete inputs',
  3: 'Read holding registers',
  4: 'Read input registers',
  5: 'Write coil',
  6: 'Write register',
  15: 'Write coils',
  16: 'Write registers',
  17: 'Report server id',
  43: 'Read device identification',
};

const hex4 = (n: number): string => `0x${n.toString(16).padStart(4, '0').toUpperCase()}`;

/** The PDU inside a logged frame: MBAP header stripped for Modbus TCP, unit and CRC for RTU. */
function pduOf(hex: string, framing: Framing): Buffer | undefined {
  const raw = Buffer.from(hex, 'hex');
  if (framing === 'tcp') return raw.length > 7 ? raw.subarray(7) : undefined;
  return raw.length > 3 ? raw.subarray(1, raw.length - 2) : undefined;
}

/** One line a technician can read: "Read holding registers 0x0000 ×76", "Exception 2: illegal data address". */
export function describeFrame(f: MonitorFrame, framing: Framing): string {
  if (f.dir === 'none') return f.outcome === 'timeout' ? 'No reply' : (f.note ?? f.outcome ?? '');
  if (f.outcome === 'garbage' || f.outcome === 'crc-error')
    return f.outcome === 'garbage' ? 'Unframed bytes' : 'Bad CRC';
  const pdu = pduOf(f.hex, framing);
  const fc = pdu?.[0] ?? f.fc;
  if (fc & 0x80) {
    const code = pdu?.[1] ?? f.exceptionCode ?? 0;
    return `Exception ${code}: ${EXCEPTION_NAMES[code] ?? 'unknown'} (${FUNCTIONS[fc & 0x7f] ?? `fc ${fc & 0x7f}`})`;
  }
  const name = FUNCTIONS[fc] ?? `Function ${fc}`;
  if (!pdu || pdu.length < 2) return name;
  if (f.dir === 'tx') {
    if ((fc === 3 || fc === 4 || fc === 1 || fc === 2) && pdu.length >= 5)
      return `${name} ${hex4(pdu.readUInt16BE(1))} ×${pdu.readUInt16BE(3)}`;
    if ((fc === 6 || fc === 5) && pdu.length >= 5)
      return `${name} ${hex4(pdu.readUInt16BE(1))} = ${hex4(pdu.readUInt16BE(3))}`;
    if ((fc === 16 || fc === 15) && pdu.length >= 5)
      return `${name} ${hex4(pdu.readUInt16BE(1))} ×${pdu.readUInt16BE(3)}`;
    return name;
  }
  if (fc === 3 || fc === 4) return `${name}: ${Math.floor((pdu[1] ?? 0) / 2)} registers`;
  if ((fc === 16 || fc === 6) && pdu.length >= 5) return `${name} ${hex4(pdu.readUInt16BE(1))} done`;
  return name;
}
