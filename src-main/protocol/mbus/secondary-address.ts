import { fail, ok, type Result } from './errors.js';

/**
 * A secondary address (identification, manufacturer, version, medium) or a selection mask for one:
 * in a mask an id digit may be 'F', the manufacturer 0xFFFF and version/medium 0xFF (wildcards).
 */
export interface SecondaryAddress {
  /** 8 characters, most significant digit first: 0–9, or F as a wildcard in a mask. */
  id: string;
  /** The 16-bit manufacturer field (see decodeManufacturer). */
  manufacturer: number;
  version: number;
  medium: number;
}

export const WILDCARD_MASK: SecondaryAddress = {
  id: 'FFFFFFFF',
  manufacturer: 0xffff,
  version: 0xff,
  medium: 0xff,
};

/** `IIIIIIIIMMMMVVDD` (16 hex digits), the form libmbus and most M-Bus tools print and accept. */
export function formatSecondaryAddress(a: SecondaryAddress): string {
  const h = (v: number, w: number): string => v.toString(16).toUpperCase().padStart(w, '0');
  return `${a.id}${h(a.manufacturer, 4)}${h(a.version, 2)}${h(a.medium, 2)}`;
}

export function parseSecondaryAddress(text: string): Result<SecondaryAddress> {
  const t = text.trim().toUpperCase();
  if (!/^[0-9F]{8}[0-9A-F]{8}$/.test(t)) {
    return fail('bad-hex', `"${text}" is not a secondary address: 16 hex digits, id digits 0-9 or F`);
  }
  return ok({
    id: t.slice(0, 8),
    manufacturer: parseInt(t.slice(8, 12), 16),
    version: parseInt(t.slice(12, 14), 16),
    medium: parseInt(t.slice(14, 16), 16),
  });
}

/** The 8 bytes of a CI 0x52 selection, least significant byte first. */
export function encodeSecondaryAddress(a: SecondaryAddress): Buffer {
  const out = Buffer.alloc(8);
  for (let i = 0; i < 4; i++) out[i] = parseInt(a.id.slice(6 - 2 * i, 8 - 2 * i), 16) & 0xff;
  out.writeUInt16LE(a.manufacturer & 0xffff, 4);
  out[6] = a.version & 0xff;
  out[7] = a.medium & 0xff;
  return out;
}

/** Inverse of encodeSecondaryAddress; `bytes` must hold 8 bytes (mode 2 callers reverse id and manufacturer). */
export function decodeSecondaryAddress(bytes: Uint8Array, msbFirst = false): SecondaryAddress {
  const b = Buffer.from(bytes.subarray(0, 8));
  const idBytes = b.subarray(0, 4);
  const man = b.subarray(4, 6);
  if (msbFirst) {
    idBytes.reverse();
    man.reverse();
  }
  let id = '';
  for (let i = 3; i >= 0; i--) id += (idBytes[i] ?? 0).toString(16).toUpperCase().padStart(2, '0');
  return { id, manufacturer: man.readUInt16LE(0), version: b[6] ?? 0, medium: b[7] ?? 0 };
}

/** Whether a slave with `address` answers a selection with `mask`. */
export function secondaryAddressMatches(mask: SecondaryAddress, address: SecondaryAddress): boolean {
  for (let i = 0; i < 8; i++) {
    const m = mask.id[i];
    if (m !== 'F' && m !== address.id[i]) return false;
  }
  return (
    (mask.manufacturer === 0xffff || mask.manufacturer === address.manufacturer) &&
    (mask.version === 0xff || mask.version === address.version) &&
    (mask.medium === 0xff || mask.medium === address.medium)
  );
}
