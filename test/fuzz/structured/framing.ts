/**
 * Framing written here from the standards, independently of src-main, so the fuzzers can re-frame a
 * mutated payload (fix length and checksum) without trusting the code under test to do it.
 */

/** CRC-16/MODBUS (poly 0xA001 reflected, init 0xFFFF), appended low byte first. */
export function rtuFrame(unit: number, pdu: Uint8Array): Buffer {
  const b = Buffer.alloc(pdu.length + 3);
  b[0] = unit;
  b.set(pdu, 1);
  let crc = 0xffff;
  for (let i = 0; i < pdu.length + 1; i++) {
    crc ^= b[i]!;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  b.writeUInt16LE(crc, pdu.length + 1);
  return b;
}

/** EN 13757-2 long frame: 68 L L 68 C A CI data CS 16, checksum = sum of C..data mod 256. */
export function mbusLongFrame(c: number, a: number, ci: number, data: Uint8Array): Buffer {
  const l = data.length + 3;
  const out = Buffer.alloc(l + 6);
  out.set([0x68, l, l, 0x68, c, a, ci], 0);
  out.set(data, 7);
  let sum = 0;
  for (let i = 4; i < l + 4; i++) sum += out[i]!;
  out[l + 4] = sum & 0xff;
  out[l + 5] = 0x16;
  return out;
}

/** DSMR 4+ telegram CRC: CRC-16/ARC (poly 0xA001 reflected, init 0) over "/" … "!", 4 upper-case hex digits. */
export function p1Crc(body: Uint8Array): string {
  let crc = 0;
  for (const byte of body) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}
