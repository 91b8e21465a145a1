import { BlockError } from './errors.js';

const TWO32 = 0x1_0000_0000;

/** Appends bits most-significant first into a growing byte buffer. */
export class BitWriter {
  private buf = new Uint8Array(64);
  private bitLen = 0;

  get length(): number {
    return this.bitLen;
  }

  /** Writes the low `n` bits (0..32) of `value`: up to 25 through one 32-bit window, wider in two steps. */
  bits(value: number, n: number): void {
    if (n > 25) {
      this.bits(Math.floor(value / 0x10000), n - 16);
      this.bits(value & 0xffff, 16);
      return;
    }
    if (n === 0) return;
    this.reserve(n + 32);
    const i = this.bitLen >>> 3;
    const word = (value & ((1 << n) - 1)) << (32 - n - (this.bitLen & 7));
    const b = this.buf;
    b[i] = b[i]! | (word >>> 24);
    b[i + 1] = b[i + 1]! | ((word >>> 16) & 0xff);
    b[i + 2] = b[i + 2]! | ((word >>> 8) & 0xff);
    b[i + 3] = b[i + 3]! | (word & 0xff);
    this.bitLen += n;
  }

  bit(b: boolean | 0 | 1): void {
    this.bits(b ? 1 : 0, 1);
  }

  /** Writes the low `n` bits (0..53) of a non-negative safe integer. */
  wide(value: number, n: number): void {
    if (n > 32) {
      this.bits(Math.floor(value / TWO32), n - 32);
      this.bits(value % TWO32, 32);
    } else this.bits(value, n);
  }

  /** Unsigned LEB128-style varint, 7 bits per group, for values up to 2^53 - 1. */
  varint(value: number): void {
    let v = value;
    while (v >= 0x80) {
      this.bits((v % 0x80) | 0x80, 8);
      v = Math.floor(v / 0x80);
    }
    this.bits(v, 8);
  }

  bytes(b: Uint8Array): void {
    for (const x of b) this.bits(x, 8);
  }

  /** Appends everything another writer wrote. */
  append(other: BitWriter): void {
    const bytes = other.finish();
    const whole = other.length >>> 3;
    for (let i = 0; i < whole; i++) this.bits(bytes[i]!, 8);
    const rest = other.length & 7;
    if (rest) this.bits(bytes[whole]! >>> (8 - rest), rest);
  }

  /** The written bits, the last byte zero-padded. */
  finish(): Uint8Array {
    return this.buf.slice(0, (this.bitLen + 7) >>> 3);
  }

  private reserve(n: number): void {
    const need = (this.bitLen + n + 7) >>> 3;
    if (need <= this.buf.length) return;
    const next = new Uint8Array(Math.max(need, this.buf.length * 2));
    next.set(this.buf);
    this.buf = next;
  }
}

/** Reads what BitWriter wrote; every read past the end is a typed 'truncated' error, never garbage. */
export class BitReader {
  private pos = 0;
  private readonly end: number;

  constructor(
    private readonly buf: Uint8Array,
    startByte = 0,
  ) {
    this.pos = startByte * 8;
    this.end = buf.length * 8;
  }

  get position(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** Reads `n` bits (0..32): up to 25 from one 32-bit window, wider reads in two steps. */
  bits(n: number): number {
    if (n > this.end - this.pos) throw new BlockError('truncated', `needs ${n} more bits`, this.pos);
    if (n > 25) {
      const hi = this.bits(n - 16);
      return hi * 0x10000 + this.bits(16);
    }
    if (n === 0) return 0;
    const b = this.buf;
    const i = this.pos >>> 3;
    // Bytes past the end read as 0; the length check above keeps them out of the result.
    const word = ((b[i] ?? 0) << 24) | ((b[i + 1] ?? 0) << 16) | ((b[i + 2] ?? 0) << 8) | (b[i + 3] ?? 0);
    const v = ((word << (this.pos & 7)) >>> 0) >>> (32 - n);
    this.pos += n;
    return v;
  }

  bit(): boolean {
    return this.bits(1) === 1;
  }

  wide(n: number): number {
    if (n > 32) {
      const hi = this.bits(n - 32);
      return hi * TWO32 + this.bits(32);
    }
    return this.bits(n);
  }

  varint(): number {
    let v = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      const b = this.bits(8);
      v += (b & 0x7f) * scale;
      if (!(b & 0x80)) break;
      scale *= 0x80;
      // 8 groups carry 56 bits: anything longer cannot be a value we wrote.
      if (i >= 7) throw new BlockError('corrupt', 'varint longer than 8 bytes', this.pos);
    }
    if (v > Number.MAX_SAFE_INTEGER) throw new BlockError('corrupt', 'varint past 2^53', this.pos);
    return v;
  }

  bytes(n: number): Uint8Array {
    if (n * 8 > this.end - this.pos) throw new BlockError('truncated', `needs ${n} more bytes`, this.pos);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.bits(8);
    return out;
  }

  /** The writer pads the last byte with zeros and writes nothing after it. */
  expectEnd(): void {
    if (this.end - this.pos >= 8) throw new BlockError('trailing', 'bytes after the last sample', this.pos);
    if (this.bits(this.end - this.pos) !== 0)
      throw new BlockError('trailing', 'non-zero padding after the last sample', this.pos);
  }
}
