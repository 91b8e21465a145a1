/**
 * CRC-16/ARC (poly 0x8005 reflected = 0xA001, init 0, no final XOR), the checksum DSMR 4+ puts
 * after the "!" of a telegram. Check value for ASCII "123456789" is 0xBB3D.
 */
const TABLE = buildTable();

function buildTable(): Uint16Array {
  const table = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
    table[n] = c;
  }
  return table;
}

/** CRC over bytes[start, end); a running value can be passed in to continue a previous call. */
export function crc16Arc(bytes: Uint8Array, start = 0, end = bytes.length, crc = 0): number {
  let c = crc & 0xffff;
  for (let i = start; i < end; i++) {
    c = (c >>> 8) ^ (TABLE[(c ^ (bytes[i] ?? 0)) & 0xff] ?? 0);
  }
  return c;
}

/** How DSMR prints the CRC: four upper-case hex digits. */
export function formatCrc(crc: number): string {
  return crc.toString(16).toUpperCase().padStart(4, '0');
}
