import { fail, ok, type Result } from './errors.js';

export type MbusFunction = 'instantaneous' | 'maximum' | 'minimum' | 'error';

const FUNCTIONS: readonly MbusFunction[] = ['instantaneous', 'maximum', 'minimum', 'error'];

/** The standard allows at most 10 DIFEs and 10 VIFEs per record. */
export const MAX_EXTENSIONS = 10;

export interface Dib {
  dif: number;
  dife: number[];
  /** DIF bits 3–0: data length and coding. */
  dataField: number;
  function: MbusFunction;
  storage: number;
  tariff: number;
  subunit: number;
}

/** Reads DIF and its DIFE chain starting at `offset`; `end` is the first byte after the record area. */
export function parseDib(
  data: Uint8Array,
  offset: number,
  end = data.length,
): Result<{ dib: Dib; next: number }> {
  const dif = data[offset];
  if (dif === undefined || offset >= end) return fail('premature-end', 'record ends before its DIF', offset);
  const dife: number[] = [];
  let pos = offset + 1;
  let ext = (dif & 0x80) !== 0;
  while (ext) {
    if (dife.length >= MAX_EXTENSIONS) return fail('too-many-dife', `more than ${MAX_EXTENSIONS} DIFEs`, pos);
    const b = data[pos];
    if (b === undefined || pos >= end) return fail('premature-end', 'record ends inside its DIFE chain', pos);
    dife.push(b);
    ext = (b & 0x80) !== 0;
    pos += 1;
  }
  // Storage, tariff and sub-unit bits are spread LSB-first over DIF and DIFEs; multiply rather than
  // shift because 10 DIFEs give a 41-bit storage number.
  let storage = (dif >> 6) & 1;
  let tariff = 0;
  let subunit = 0;
  dife.forEach((b, i) => {
    storage += (b & 0x0f) * 2 ** (1 + 4 * i);
    tariff += ((b >> 4) & 3) * 4 ** i;
    subunit += ((b >> 6) & 1) * 2 ** i;
  });
  const fn = FUNCTIONS[(dif >> 4) & 3] ?? 'instantaneous';
  return ok({ dib: { dif, dife, dataField: dif & 0x0f, function: fn, storage, tariff, subunit }, next: pos });
}

/** Bytes of the data field for a fixed-length coding; undefined for variable length (0x0D) and specials. */
export function fixedDataLength(dataField: number): number | undefined {
  return [0, 1, 2, 3, 4, 4, 6, 8, 0, 1, 2, 3, 4, undefined, 6, undefined][dataField];
}
