import { fail, ok, type Result } from './errors.js';
import { decodeManufacturer } from './manufacturer.js';
import { mediumName } from './medium.js';
import {
  decodeSecondaryAddress,
  encodeSecondaryAddress,
  type SecondaryAddress,
} from './secondary-address.js';

export const LONG_HEADER_LENGTH = 12;
export const SHORT_HEADER_LENGTH = 4;

/** Fixed header of CI 0x72/0x76: the slave's secondary address plus readout state. */
export interface MbusHeader {
  /** Identification number, 8 BCD digits as sent (leading zeros kept). */
  id: string;
  manufacturer: string;
  manufacturerCode: number;
  version: number;
  medium: number;
  mediumName: string;
  accessNumber: number;
  status: number;
  /** Signature / configuration word (0 = unencrypted). */
  signature: number;
}

/** Short header of CI 0x7A. */
export interface MbusShortHeader {
  accessNumber: number;
  status: number;
  signature: number;
}

export function decodeLongHeader(data: Uint8Array, msbFirst: boolean): Result<MbusHeader> {
  if (data.length < LONG_HEADER_LENGTH) {
    return fail(
      'header-too-short',
      `fixed header needs ${LONG_HEADER_LENGTH} bytes, the telegram has ${data.length}`,
    );
  }
  const a = decodeSecondaryAddress(data, msbFirst);
  const sig = msbFirst ? ((data[10] ?? 0) << 8) | (data[11] ?? 0) : ((data[11] ?? 0) << 8) | (data[10] ?? 0);
  return ok({
    id: a.id,
    manufacturer: decodeManufacturer(a.manufacturer),
    manufacturerCode: a.manufacturer,
    version: a.version,
    medium: a.medium,
    mediumName: mediumName(a.medium),
    accessNumber: data[8] ?? 0,
    status: data[9] ?? 0,
    signature: sig,
  });
}

export function decodeShortHeader(data: Uint8Array): Result<MbusShortHeader> {
  if (data.length < SHORT_HEADER_LENGTH) {
    return fail(
      'header-too-short',
      `short header needs ${SHORT_HEADER_LENGTH} bytes, the telegram has ${data.length}`,
    );
  }
  return ok({
    accessNumber: data[0] ?? 0,
    status: data[1] ?? 0,
    signature: ((data[3] ?? 0) << 8) | (data[2] ?? 0),
  });
}

export function encodeLongHeader(
  address: SecondaryAddress,
  accessNumber: number,
  status: number,
  signature = 0,
): Buffer {
  const out = Buffer.alloc(LONG_HEADER_LENGTH);
  encodeSecondaryAddress(address).copy(out, 0);
  out[8] = accessNumber & 0xff;
  out[9] = status & 0xff;
  out.writeUInt16LE(signature & 0xffff, 10);
  return out;
}

export function headerSecondaryAddress(h: MbusHeader): SecondaryAddress {
  return { id: h.id, manufacturer: h.manufacturerCode, version: h.version, medium: h.medium };
}

/** Status byte bits (EN 13757-3): application state in bits 1–0, then power low, permanent, temporary error. */
export function describeStatus(status: number): string[] {
  const out: string[] = [];
  const app = status & 3;
  if (app === 1) out.push('application busy');
  else if (app === 2) out.push('application error');
  else if (app === 3) out.push('abnormal condition / alarm');
  if (status & 0x04) out.push('power low');
  if (status & 0x08) out.push('permanent error');
  if (status & 0x10) out.push('temporary error');
  if (status & 0xe0) out.push(`manufacturer-specific bits 0x${(status & 0xe0).toString(16).toUpperCase()}`);
  return out;
}
