import { describe, expect, it } from 'vitest';
import { copyOf } from '../../src-main/util/bytes.js';

describe('copyOf', () => {
  it.each([0, 1, 25, 64, 65, 300])('copies the first %i bytes into a buffer of their own', (n) => {
    const source = Buffer.from(Array.from({ length: 400 }, (_, i) => (i * 7 + 3) & 0xff));
    const copy = copyOf(source, n);
    expect(Buffer.isBuffer(copy)).toBe(true);
    expect(copy.equals(source.subarray(0, n))).toBe(true);
    // The source is a reused read buffer: what the next read writes must not reach the copy.
    source.fill(0xee);
    expect(copy.every((b, i) => b === ((i * 7 + 3) & 0xff))).toBe(true);
  });
});
