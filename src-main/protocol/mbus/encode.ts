import { encodeLongHeader } from './header.js';
import type { SecondaryAddress } from './secondary-address.js';

/** Builders for application-layer bytes: what a slave (our simulator) or a test puts in a telegram. */

/** Two's complement, least significant byte first. */
export function encodeInteger(value: number | bigint, bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  let v = BigInt.asUintN(bytes * 8, BigInt(value));
  for (let i = 0; i < bytes; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Type A BCD of `digits` digits (even), least significant byte first; negative values get an F nibble. */
export function encodeBcd(value: number, digits: number): Buffer {
  const neg = value < 0;
  let text = String(Math.abs(Math.trunc(value))).padStart(digits, '0');
  if (text.length > digits || (neg && text.length >= digits && text[0] !== '0')) {
    throw new RangeError(`${value} does not fit ${digits} BCD digits`);
  }
  if (neg) text = `F${text.slice(1)}`;
  return Buffer.from(text, 'hex').reverse();
}

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** Type F date and time (to the minute). */
export function encodeDateTimeF(t: LocalDateTime): Buffer {
  const y = t.year % 100;
  const hundred = Math.max(0, Math.floor((t.year - 1900) / 100)) & 3;
  return Buffer.from([
    t.minute & 0x3f,
    (t.hour & 0x1f) | (hundred << 5),
    (t.day & 0x1f) | ((y & 0x07) << 5),
    (t.month & 0x0f) | ((y & 0x78) << 1),
  ]);
}

/** Type G date. */
export function encodeDateG(t: Pick<LocalDateTime, 'year' | 'month' | 'day'>): Buffer {
  const y = t.year % 100;
  return Buffer.from([(t.day & 0x1f) | ((y & 0x07) << 5), (t.month & 0x0f) | ((y & 0x78) << 1)]);
}

/** One data record: DIF [DIFE…] VIF [VIFE…] data. Extension bits are set here, so pass bare codes. */
export function encodeRecord(r: {
  dif: number;
  dife?: number[];
  vif: number;
  vife?: number[];
  data: Uint8Array;
}): Buffer {
  const dife = r.dife ?? [];
  const vife = r.vife ?? [];
  const withExt = (list: number[]): number[] =>
    list.map((b, i) => (i < list.length - 1 ? b | 0x80 : b & 0x7f));
  const dib = withExt([r.dif, ...dife]);
  // 0xFB/0xFD carry the extension bit by definition; the true VIF that follows is the first VIFE.
  const vib = withExt([r.vif, ...vife]);
  return Buffer.concat([Buffer.from(dib), Buffer.from(vib), r.data]);
}

/** CI 0x72 user data: fixed header, records, and DIF 0x1F when the slave has more telegrams. */
export function encodeVariableUserData(
  address: SecondaryAddress,
  accessNumber: number,
  status: number,
  records: readonly Uint8Array[],
  moreRecordsFollow = false,
): Buffer {
  const parts = [encodeLongHeader(address, accessNumber, status), ...records];
  if (moreRecordsFollow) parts.push(Buffer.from([0x1f]));
  return Buffer.concat(parts);
}
