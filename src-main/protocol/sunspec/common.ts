import type { SunSpecDefinitions } from './definitions.js';
import { placePoints } from './layout.js';
import { decodePoint } from './values.js';
import type { ChainEntry } from './chain.js';

/** What the Common model (1) says about the device. */
export interface CommonInfo {
  manufacturer?: string;
  model?: string;
  options?: string;
  version?: string;
  serialNumber?: string;
  deviceAddress?: number;
}

const FIELDS: Record<string, keyof CommonInfo> = {
  Mn: 'manufacturer',
  Md: 'model',
  Opt: 'options',
  Vr: 'version',
  SN: 'serialNumber',
  DA: 'deviceAddress',
};

/** Decodes the Common model from its block's registers (`words[0]` is its ID register). */
export function decodeCommon(
  defs: SunSpecDefinitions,
  entry: ChainEntry,
  words: readonly number[],
): CommonInfo {
  const def = defs.get(1);
  if (!def) throw new Error('SunSpec definitions lack the Common model (1)');
  const info: CommonInfo = {};
  for (const p of placePoints(def, entry.address, entry.length)) {
    const field = FIELDS[p.def.name];
    if (!field) continue;
    const off = p.address - entry.address;
    if (off + p.def.size > words.length) continue;
    const v = decodePoint(p.def.type, words.slice(off, off + p.def.size));
    if (v === undefined) continue;
    if (field === 'deviceAddress') info.deviceAddress = Number(v);
    else info[field] = String(v);
  }
  return info;
}
