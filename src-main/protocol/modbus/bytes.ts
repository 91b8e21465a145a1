/** The first `n` bytes of `b` in a buffer of their own. */
export function copyOf(b: Buffer, n: number): Buffer {
  const c = Buffer.allocUnsafe(n);
  b.copy(c, 0, 0, n);
  return c;
}
