// Imported, not the global: globalThis.Buffer is an accessor, a getter call per use on a hot path.
import { Buffer } from 'node:buffer';
/** Up to this many bytes are copied element by element: Buffer#copy's checks cost more than the copy. */
const SHORT = 64;

/** The first `n` bytes of `b` in a buffer of their own (a slice of Node's pool for short ones). */
export function copyOf(b: Uint8Array, n: number): Buffer {
  const c = Buffer.allocUnsafe(n);
  if (n <= SHORT) for (let i = 0; i < n; i++) c[i] = b[i]!;
  else c.set(b.subarray(0, n));
  return c;
}
