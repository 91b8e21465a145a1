import { MAX_EXTENSIONS } from './dib.js';
import { fail, ok, type Result } from './errors.js';

export interface Vib {
  vif: number;
  vife: number[];
  /** Unit text of a plain-text VIF (0x7C/0xFC), in reading order. */
  plainText?: string;
}

/**
 * Reads VIF, the plain-text unit of VIF 0x7C/0xFC (length byte + characters, which come before any
 * VIFEs in real telegrams) and the VIFE chain.
 */
export function parseVib(
  data: Uint8Array,
  offset: number,
  end: number,
  msbFirst: boolean,
): Result<{ vib: Vib; next: number }> {
  const vif = data[offset];
  if (vif === undefined || offset >= end) return fail('premature-end', 'record ends before its VIF', offset);
  let pos = offset + 1;
  let plainText: string | undefined;
  if ((vif & 0x7f) === 0x7c) {
    const len = data[pos];
    if (len === undefined || pos >= end)
      return fail('premature-end', 'record ends before the plain-text VIF length', pos);
    if (pos + 1 + len > end)
      return fail('premature-end', `plain-text VIF of ${len} characters runs past the end`, pos);
    const chars = Buffer.from(data.subarray(pos + 1, pos + 1 + len));
    plainText = (msbFirst ? chars : chars.reverse()).toString('latin1');
    pos += 1 + len;
  }
  const vife: number[] = [];
  let ext = (vif & 0x80) !== 0;
  while (ext) {
    if (vife.length >= MAX_EXTENSIONS) return fail('too-many-vife', `more than ${MAX_EXTENSIONS} VIFEs`, pos);
    const b = data[pos];
    if (b === undefined || pos >= end) return fail('premature-end', 'record ends inside its VIFE chain', pos);
    vife.push(b);
    ext = (b & 0x80) !== 0;
    pos += 1;
  }
  return ok({ vib: plainText === undefined ? { vif, vife } : { vif, vife, plainText }, next: pos });
}
