/** Link-layer checksum: arithmetic sum modulo 256 of the bytes from C up to the last user-data byte. */
export function mbusChecksum(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum = (sum + (bytes[i] ?? 0)) & 0xff;
  return sum;
}
