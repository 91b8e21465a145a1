import { decodeBcd, decodeInteger, type MbusData } from './data-types.js';
import { fail, ok, type Result } from './errors.js';
import { fixedMediumName } from './medium.js';
import { quantityName, type Quantity } from './quantity.js';
import { scaleDecimal, type MbusValueFields } from './records.js';

/** Fixed data structure (CI 0x73/0x77, EN 1434-3 heritage): id, access number, status and two counters. */
export const FIXED_DATA_LENGTH = 16;

export interface MbusFixedCounter extends MbusValueFields {
  type: 'counter';
  index: 1 | 2;
  /** The 6-bit unit code as sent. */
  unitCode: number;
}

export interface MbusFixedData {
  id: string;
  accessNumber: number;
  status: number;
  /** 4-bit medium assembled from the top two bits of both unit bytes. */
  medium: number;
  mediumName: string;
  /** Status bit 6: the counters hold values stored at a fixed date rather than actual values. */
  stored: boolean;
  counters: MbusFixedCounter[];
}

interface Unit {
  quantity: Quantity;
  unit: string;
  exponent: number;
}

function unitOf(code: number): Unit {
  const u = (quantity: Quantity, unit: string, exponent: number): Unit => ({ quantity, unit, exponent });
  if (code >= 0x02 && code <= 0x0a) return u('energy', 'Wh', code - 0x02);
  if (code >= 0x0b && code <= 0x13) return u('energy', 'J', code - 0x0b + 3);
  if (code >= 0x14 && code <= 0x1c) return u('power', 'W', code - 0x14);
  if (code >= 0x1d && code <= 0x25) return u('power', 'J/h', code - 0x1d + 3);
  if (code >= 0x26 && code <= 0x2e) return u('volume', 'm3', code - 0x26 - 6);
  if (code >= 0x2f && code <= 0x37) return u('volume_flow', 'm3/h', code - 0x2f - 6);
  if (code === 0x38) return u('temperature', '°C', -3);
  if (code === 0x39) return u('hca_units', '', 0);
  if (code === 0x3f) return u('dimensionless', '', 0);
  // 0x00/0x01 (time/date counters) and 0x3A–0x3D have no numeric unit we can apply.
  return u('reserved', '', 0);
}

const HISTORIC = 0x3e;

/** The variable-structure medium code for a fixed-structure one (mode-2 variants fold onto their medium). */
export function fixedToVariableMedium(code: number): number {
  const mode2: Readonly<Record<number, number>> = {
    0x0a: 0x03,
    0x0b: 0x04,
    0x0c: 0x06,
    0x0d: 0x07,
    0x0e: 0x08,
  };
  return code <= 0x08 ? code : (mode2[code] ?? 0x0f);
}

export function decodeFixedData(data: Uint8Array, msbFirst: boolean): Result<MbusFixedData> {
  if (data.length < FIXED_DATA_LENGTH) {
    return fail(
      'header-too-short',
      `fixed data structure needs ${FIXED_DATA_LENGTH} bytes, the telegram has ${data.length}`,
    );
  }
  const field = (from: number, len: number): Uint8Array => {
    const b = Uint8Array.from(data.subarray(from, from + len));
    return msbFirst ? b.reverse() : b;
  };
  const status = data[5] ?? 0;
  const bcd = (status & 0x80) === 0;
  const stored = (status & 0x40) !== 0;
  const unit1 = (data[6] ?? 0) & 0x3f;
  const unit2 = (data[7] ?? 0) & 0x3f;
  const idData = decodeBcd(field(0, 4));
  const counters = ([1, 2] as const).map((index): MbusFixedCounter => {
    const unitCode = index === 1 ? unit1 : unit2;
    // 0x3E: "same unit as counter 1, but a historic value".
    const historic = index === 2 && unitCode === HISTORIC;
    const u = unitOf(historic ? unit1 : unitCode);
    const raw = field(8 + 4 * (index - 1), 4);
    const d: MbusData = bcd ? decodeBcd(raw) : decodeInteger(raw, true);
    const n = d.type === 'bcd' || d.type === 'integer' ? d.value : null;
    return {
      type: 'counter',
      index,
      unitCode,
      function: 'instantaneous',
      storage: stored || historic ? 1 : 0,
      tariff: 0,
      subunit: 0,
      quantity: u.quantity,
      description: quantityName(u.quantity),
      unit: u.unit,
      exponent: u.exponent,
      notes: historic ? ['historic value, same unit as counter 1'] : [],
      data: d,
      value: n === null ? null : scaleDecimal(n, u.exponent),
    };
  });
  const medium = ((data[6] ?? 0) >> 6) | (((data[7] ?? 0) >> 6) << 2);
  return ok({
    id: idData.type === 'bcd' ? idData.digits : '',
    accessNumber: data[4] ?? 0,
    status,
    medium,
    mediumName: fixedMediumName(medium),
    stored,
    counters,
  });
}
