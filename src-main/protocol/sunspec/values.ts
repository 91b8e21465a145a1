import type { PointType } from './definitions.js';

/**
 * Decodes one SunSpec point from its registers (big-endian, high word first, as the specification
 * fixes). "Not implemented" markers (0x8000, 0xFFFF, 0x80000000, accumulators at 0, NaN, empty
 * strings …) decode to undefined: no value, never a number.
 */
export function decodePoint(type: PointType, words: readonly number[]): number | string | undefined {
  const b = Buffer.alloc(words.length * 2);
  words.forEach((w, i) => b.writeUInt16BE(w & 0xffff, i * 2));
  switch (type) {
    case 'int16':
    case 'sunssf': {
      const v = b.readInt16BE(0);
      return v === -0x8000 ? undefined : v;
    }
    case 'uint16':
    case 'count':
    case 'enum16':
    case 'bitfield16': {
      const v = b.readUInt16BE(0);
      return v === 0xffff ? undefined : v;
    }
    case 'acc16': {
      const v = b.readUInt16BE(0);
      return v === 0 ? undefined : v;
    }
    case 'pad':
      return undefined;
    case 'int32': {
      const v = b.readInt32BE(0);
      return v === -0x80000000 ? undefined : v;
    }
    case 'uint32':
    case 'enum32':
    case 'bitfield32':
    case 'ipaddr': {
      const v = b.readUInt32BE(0);
      return v === 0xffffffff ? undefined : v;
    }
    case 'acc32': {
      const v = b.readUInt32BE(0);
      return v === 0 ? undefined : v;
    }
    case 'int64': {
      const v = b.readBigInt64BE(0);
      return v === -0x8000000000000000n ? undefined : Number(v);
    }
    case 'uint64':
    case 'acc64': {
      const v = b.readBigUInt64BE(0);
      if (type === 'acc64' ? v === 0n : v === 0xffffffffffffffffn) return undefined;
      return Number(v);
    }
    case 'float32': {
      const v = b.readFloatBE(0);
      return Number.isFinite(v) ? v : undefined;
    }
    case 'float64': {
      const v = b.readDoubleBE(0);
      return Number.isFinite(v) ? v : undefined;
    }
    case 'string': {
      const s = b.toString('latin1').replace(/\0+$/g, '').replace(/\0/g, '').trim();
      return s.length ? s : undefined;
    }
    case 'ipv6addr':
    case 'eui48':
      return b.toString('hex');
  }
}

/** Encodes a value the way a device holds it; `undefined` writes the type's "not implemented" marker. */
export function encodePoint(type: PointType, size: number, value: number | string | undefined): number[] {
  const b = Buffer.alloc(size * 2);
  if (typeof value === 'string') b.write(value.slice(0, size * 2), 'latin1');
  else
    switch (type) {
      case 'int16':
      case 'sunssf':
        b.writeInt16BE(value === undefined ? -0x8000 : Math.round(value));
        break;
      case 'uint16':
      case 'count':
      case 'enum16':
      case 'bitfield16':
        b.writeUInt16BE(value === undefined ? 0xffff : Math.round(value));
        break;
      case 'acc16':
        b.writeUInt16BE(value === undefined ? 0 : Math.round(value));
        break;
      case 'pad':
        break;
      case 'int32':
        b.writeInt32BE(value === undefined ? -0x80000000 : Math.round(value));
        break;
      case 'uint32':
      case 'enum32':
      case 'bitfield32':
      case 'ipaddr':
        b.writeUInt32BE(value === undefined ? 0xffffffff : Math.round(value));
        break;
      case 'acc32':
        b.writeUInt32BE(value === undefined ? 0 : Math.round(value));
        break;
      case 'int64':
        b.writeBigInt64BE(value === undefined ? -0x8000000000000000n : BigInt(Math.round(value)));
        break;
      case 'uint64':
        b.writeBigUInt64BE(value === undefined ? 0xffffffffffffffffn : BigInt(Math.round(value)));
        break;
      case 'acc64':
        b.writeBigUInt64BE(value === undefined ? 0n : BigInt(Math.round(value)));
        break;
      case 'float32':
        b.writeFloatBE(value ?? NaN);
        break;
      case 'float64':
        b.writeDoubleBE(value ?? NaN);
        break;
      case 'string':
      case 'ipv6addr':
      case 'eui48':
        break;
    }
  return Array.from({ length: size }, (_, i) => b.readUInt16BE(i * 2));
}

/** Applies a scale factor: value × 10^sf; a missing (not implemented) scale factor means no value. */
export function scaled(raw: number | undefined, sf: number | undefined): number | undefined {
  if (raw === undefined || sf === undefined) return undefined;
  if (sf < -10 || sf > 10) return undefined;
  return Number((raw * 10 ** sf).toPrecision(12)) + 0;
}
