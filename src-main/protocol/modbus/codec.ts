import type { RegisterType, WordOrder } from '../../devices/model-schema.js';

export function registerCount(type: RegisterType, words?: number): number {
  switch (type) {
    case 'int16':
    case 'uint16':
      return 1;
    case 'int32':
    case 'uint32':
    case 'float32':
      return 2;
    case 'int64':
    case 'uint64':
    case 'float64':
      return 4;
    case 'ascii':
      return words ?? 1;
  }
}

const swapBytes = (w: number): number => ((w & 0xff) << 8) | ((w >> 8) & 0xff);
const bytesSwapped = (order: WordOrder): boolean => order === 'msw-byteswap' || order === 'lsw-byteswap';

/**
 * Puts wire words in big-endian (most significant first) order, or big-endian words in wire order:
 * reversing the words and swapping each word's bytes are both their own inverse and commute, so one
 * function serves decode and encode.
 */
function ordered(words: readonly number[], order: WordOrder): number[] {
  const w = bytesSwapped(order) ? words.map(swapBytes) : [...words];
  return order === 'lsw' || order === 'lsw-byteswap' ? w.reverse() : w;
}

function toBuffer(words: readonly number[]): Buffer {
  const b = Buffer.alloc(words.length * 2);
  words.forEach((w, i) => b.writeUInt16BE(w & 0xffff, i * 2));
  return b;
}

/** Decodes raw registers to a number (or string for ascii), before scaling. */
export function decodeRegisters(
  words: readonly number[],
  type: RegisterType,
  order: WordOrder,
): number | string {
  if (type === 'ascii') {
    // Meters pad with NUL at either end (ET340 pads MSBs, EM24 pads the tail). Text runs in address
    // order whatever the word order; only a byte swap changes it.
    const text = bytesSwapped(order) ? words.map(swapBytes) : words;
    return toBuffer(text).toString('latin1').replace(/\0/g, '').trim();
  }
  const n = registerCount(type);
  if (words.length < n) throw new RangeError(`${type} needs ${n} registers, got ${words.length}`);
  const b = toBuffer(ordered(words.slice(0, n), order));
  switch (type) {
    case 'int16':
      return b.readInt16BE(0);
    case 'uint16':
      return b.readUInt16BE(0);
    case 'int32':
      return b.readInt32BE(0);
    case 'uint32':
      return b.readUInt32BE(0);
    case 'float32':
      return b.readFloatBE(0);
    case 'int64':
      return Number(b.readBigInt64BE(0));
    case 'uint64':
      return Number(b.readBigUInt64BE(0));
    case 'float64':
      return b.readDoubleBE(0);
  }
}

/** Encodes a raw (unscaled) value into registers; used by writes and the simulator. */
export function encodeRegisters(
  value: number | string,
  type: RegisterType,
  order: WordOrder,
  words?: number,
): number[] {
  const n = registerCount(type, words);
  const b = Buffer.alloc(n * 2);
  if (type === 'ascii') {
    b.write(String(value).slice(0, n * 2), 'latin1');
  } else {
    const v = typeof value === 'number' ? value : Number(value);
    switch (type) {
      case 'int16':
        b.writeInt16BE(clamp(Math.round(v), -0x8000, 0x7fff));
        break;
      case 'uint16':
        b.writeUInt16BE(clamp(Math.round(v), 0, 0xffff));
        break;
      case 'int32':
        b.writeInt32BE(clamp(Math.round(v), -0x80000000, 0x7fffffff));
        break;
      case 'uint32':
        b.writeUInt32BE(clamp(Math.round(v), 0, 0xffffffff));
        break;
      case 'float32':
        b.writeFloatBE(v);
        break;
      case 'int64':
        b.writeBigInt64BE(BigInt(Math.round(v)));
        break;
      case 'uint64':
        b.writeBigUInt64BE(BigInt(Math.max(0, Math.round(v))));
        break;
      case 'float64':
        b.writeDoubleBE(v);
        break;
    }
  }
  const be: number[] = [];
  for (let i = 0; i < n; i++) be.push(b.readUInt16BE(i * 2));
  if (type === 'ascii') return bytesSwapped(order) ? be.map(swapBytes) : be;
  return ordered(be, order);
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
