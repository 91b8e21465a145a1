import {
  decodeBcd,
  decodeBinary,
  decodeDateG,
  decodeDateTimeF,
  decodeDateTimeI,
  decodeInteger,
  decodeReal,
  decodeText,
  decodeTimeJ,
  hex,
  lvarLayout,
  type MbusData,
} from './data-types.js';
import { fixedDataLength, parseDib, type Dib, type MbusFunction } from './dib.js';
import { fail, ok, type Result } from './errors.js';
import { describeVib, type RecordMeaning } from './meaning.js';
import type { Quantity } from './quantity.js';
import { parseVib } from './vib.js';
import type { Phase } from './vife.js';

/** What a decoded value carries, whether it came from a variable data record or a fixed-structure counter. */
export interface MbusValueFields {
  function: MbusFunction;
  storage: number;
  tariff: number;
  subunit: number;
  quantity: Quantity;
  description: string;
  /** Unit of `value`; '' for dimensionless values, identifiers, dates and text. */
  unit: string;
  exponent: number;
  notes: string[];
  accumulation?: 'positive' | 'negative';
  phase?: Phase;
  errorCode?: number;
  /** A manufacturer-specific VIF or VIFE changes what the value means. */
  manufacturerSpecific?: boolean;
  data: MbusData;
  /** Scaled number in `unit`, or text for dates, strings and blobs; null when there is no usable value. */
  value: number | string | null;
}

export interface MbusDataRecord extends MbusValueFields {
  type: 'data';
  /** Byte offset of the DIF in the user data (after CI). */
  offset: number;
  /** The record as sent, hex. */
  bytes: string;
  dif: number;
  dife: number[];
  vif: number;
  vife: number[];
}

/** DIF 0x0F/0x1F: the rest of the user data belongs to the manufacturer. */
export interface MbusManufacturerRecord {
  type: 'manufacturer';
  offset: number;
  dif: number;
  /** DIF 0x1F: the slave has more records; ask again with FCB toggled. */
  moreRecordsFollow: boolean;
  /** The manufacturer bytes in wire order, hex. */
  data: string;
}

export type MbusRecord = MbusDataRecord | MbusManufacturerRecord;

export interface RecordArea {
  records: MbusRecord[];
  moreRecordsFollow: boolean;
}

const IDLE_FILLER = 0x2f;

/** Decodes the record area `data[start..]`. Stops with an error at the first malformed record. */
export function decodeRecords(data: Uint8Array, start: number, msbFirst: boolean): Result<RecordArea> {
  const records: MbusRecord[] = [];
  const end = data.length;
  let pos = start;
  while (pos < end) {
    const dif = data[pos] ?? 0;
    if (dif === IDLE_FILLER) {
      pos += 1;
      continue;
    }
    if (dif === 0x0f || dif === 0x1f) {
      const moreRecordsFollow = dif === 0x1f;
      records.push({
        type: 'manufacturer',
        offset: pos,
        dif,
        moreRecordsFollow,
        data: hex(data.subarray(pos + 1, end)),
      });
      return ok({ records, moreRecordsFollow });
    }
    if ((dif & 0x0f) === 0x0f) {
      return fail(
        'unsupported-dif',
        `special-function DIF 0x${dif.toString(16).toUpperCase()} has no defined layout`,
        pos,
      );
    }
    const rec = decodeRecord(data, pos, end, msbFirst);
    if (!rec.ok) return rec;
    records.push(rec.value.record);
    pos = rec.value.next;
  }
  return ok({ records, moreRecordsFollow: false });
}

function decodeRecord(
  data: Uint8Array,
  offset: number,
  end: number,
  msbFirst: boolean,
): Result<{ record: MbusDataRecord; next: number }> {
  const d = parseDib(data, offset, end);
  if (!d.ok) return d;
  const v = parseVib(data, d.value.next, end, msbFirst);
  if (!v.ok) return v;
  const { dib } = d.value;
  const { vib } = v.value;
  const meaning = describeVib(vib);
  let pos = v.value.next;
  let decoded: MbusData;
  if (dib.dataField === 0x0d) {
    const lvar = data[pos];
    if (lvar === undefined || pos >= end)
      return fail('premature-end', 'record ends before its LVAR byte', pos);
    const layout = lvarLayout(lvar);
    if (!layout) return fail('bad-length', `reserved LVAR 0x${lvar.toString(16).toUpperCase()}`, pos);
    if (pos + 1 + layout.length > end) {
      return fail('premature-end', `variable-length data of ${layout.length} bytes runs past the end`, pos);
    }
    const field = orderLsbFirst(data.subarray(pos + 1, pos + 1 + layout.length), msbFirst);
    decoded = decodeLvar(layout.kind, field);
    pos += 1 + layout.length;
  } else {
    const len = fixedDataLength(dib.dataField) ?? 0;
    if (pos + len > end)
      return fail('premature-end', `record needs ${len} data bytes, ${end - pos} left`, pos);
    decoded = decodeFixed(dib, orderLsbFirst(data.subarray(pos, pos + len), msbFirst), meaning);
    pos += len;
  }
  return ok({ record: buildRecord(data, offset, pos, dib, vib.vif, vib.vife, meaning, decoded), next: pos });
}

function orderLsbFirst(bytes: Uint8Array, msbFirst: boolean): Uint8Array {
  return msbFirst ? Uint8Array.from(bytes).reverse() : bytes;
}

function decodeLvar(kind: 'text' | 'bcd' | 'negative-bcd' | 'binary', field: Uint8Array): MbusData {
  if (kind === 'text') return decodeText(field);
  if (kind === 'binary') return decodeBinary(field);
  const bcd = decodeBcd(field);
  if (kind === 'negative-bcd' && bcd.type === 'bcd' && bcd.value !== null)
    return { ...bcd, value: -bcd.value };
  return bcd;
}

function decodeFixed(dib: Dib, field: Uint8Array, meaning: RecordMeaning): MbusData {
  switch (dib.dataField) {
    case 0x00:
    case 0x08:
      return { type: 'none' };
    case 0x05:
      return decodeReal(field);
    case 0x09:
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0e:
      return decodeBcd(field);
    default:
      if (meaning.timePoint) {
        if (field.length === 2) return decodeDateG(field);
        if (field.length === 3) return decodeTimeJ(field);
        if (field.length === 4) return decodeDateTimeF(field);
        if (field.length === 6) return decodeDateTimeI(field);
      }
      return decodeInteger(field, !meaning.identifier);
  }
}

function buildRecord(
  data: Uint8Array,
  offset: number,
  next: number,
  dib: Dib,
  vif: number,
  vife: number[],
  meaning: RecordMeaning,
  decoded: MbusData,
): MbusDataRecord {
  const numeric = decoded.type === 'integer' || decoded.type === 'bcd' || decoded.type === 'real';
  const record: MbusDataRecord = {
    type: 'data',
    offset,
    bytes: hex(data.subarray(offset, next)),
    dif: dib.dif,
    dife: dib.dife,
    vif,
    vife,
    function: dib.function,
    storage: dib.storage,
    tariff: dib.tariff,
    subunit: dib.subunit,
    quantity: meaning.quantity,
    description: meaning.description,
    unit: numeric ? meaning.unit : '',
    exponent: numeric && !meaning.identifier ? meaning.exponent : 0,
    notes: meaning.notes,
    data: decoded,
    value: recordValue(decoded, meaning),
  };
  if (meaning.accumulation) record.accumulation = meaning.accumulation;
  if (meaning.phase) record.phase = meaning.phase;
  if (meaning.errorCode !== undefined) record.errorCode = meaning.errorCode;
  if (meaning.manufacturerSpecific) record.manufacturerSpecific = true;
  return record;
}

function recordValue(d: MbusData, meaning: RecordMeaning): number | string | null {
  switch (d.type) {
    case 'none':
      return null;
    case 'integer':
    case 'bcd':
    case 'real': {
      if (d.value === null) return null;
      if (meaning.identifier) return d.value;
      const v = scaleDecimal(d.value, meaning.exponent);
      return meaning.offsetExponent === undefined ? v : v + scaleDecimal(1, meaning.offsetExponent);
    }
    case 'text':
    case 'date':
    case 'date-time':
    case 'time':
      return d.text;
    case 'binary':
      return d.hex;
  }
}

/**
 * raw × 10^exponent without float drift for integers: dividing by an exact power of ten rounds
 * correctly (56108 × 10^-2 gives 561.08, not 561.0799999).
 */
export function scaleDecimal(raw: number, exponent: number): number {
  return exponent < 0 ? raw / 10 ** -exponent : raw * 10 ** exponent;
}
