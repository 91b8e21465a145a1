/**
 * DSMR 2.2/3 meters send 7E1: seven data bits and an even parity bit. Read as 8N1 (or through a
 * pty, which ignores the line settings) the parity bit shows up as bit 7 of every byte.
 */

function evenParity(b: number): boolean {
  let x = b ^ (b >> 4);
  x ^= x >> 2;
  x ^= x >> 1;
  return (x & 1) === 0;
}

/** Sets bit 7 of each byte so the byte has even parity: 7E1 characters as an 8-bit reader sees them. */
export function addEvenParity(bytes: Uint8Array): Buffer {
  const out = Buffer.alloc(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const b = (bytes[i] ?? 0) & 0x7f;
    out[i] = evenParity(b) ? b : b | 0x80;
  }
  return out;
}

export function stripParity(bytes: Uint8Array): Buffer {
  const out = Buffer.alloc(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = (bytes[i] ?? 0) & 0x7f;
  return out;
}

export interface ParityProfile {
  bytes: number;
  /** Bytes with bit 7 set. */
  highBit: number;
  /** Bytes whose eight bits have even parity. */
  even: number;
}

export function parityProfile(bytes: Uint8Array): ParityProfile {
  let highBit = 0;
  let even = 0;
  for (const b of bytes) {
    if (b & 0x80) highBit++;
    if (evenParity(b)) even++;
  }
  return { bytes: bytes.length, highBit, even };
}

/**
 * 7E1 text seen as 8 bits has every byte at even parity and bit 7 set on about half of them; plain
 * 8-bit ASCII has bit 7 clear and even parity on only about half. A short sample with some noise
 * still decides clearly at 99 %.
 */
export function looksLike7E1(bytes: Uint8Array): boolean {
  const p = parityProfile(bytes);
  return p.highBit > 0 && p.even >= 0.99 * p.bytes;
}
