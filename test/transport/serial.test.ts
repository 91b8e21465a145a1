import { openSync, readSync, writeSync, closeSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { SerialTransport } from '../../src-main/transport/serial.js';
import { ptyPair, sleep, type PtyPair } from '../helpers/peers.js';

let pty: PtyPair | undefined;
afterEach(() => pty?.close());

const settings = (path: string) =>
  ({ path, baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 }) as const;

describe('SerialTransport on a pty (read and written on the event loop on Linux)', () => {
  it('carries bytes both ways, reports the other end hanging up, and closes once on purpose', async () => {
    pty = await ptyPair();
    const t = new SerialTransport(settings(pty.a));
    const chunks: Buffer[] = [];
    const closes: (Error | undefined)[] = [];
    t.on('data', (c) => chunks.push(c));
    t.on('close', (r) => closes.push(r));
    await t.open();
    expect(t.isOpen).toBe(true);
    const peer = openSync(pty.b, 'r+');
    try {
      await t.write(Buffer.from('0103000000010a84', 'hex'));
      await sleep(50);
      const got = Buffer.alloc(64);
      expect(readSync(peer, got, 0, 64, null)).toBe(8);
      expect(got.subarray(0, 8).toString('hex')).toBe('0103000000010a84');
      writeSync(peer, Buffer.from('010302002a', 'hex'));
      await sleep(50);
      expect(Buffer.concat(chunks).toString('hex')).toBe('010302002a');
    } finally {
      closeSync(peer);
    }
    // socat gone: the port is lost with a reason, like an unplugged adapter.
    pty.close();
    for (let i = 0; i < 100 && !closes.length; i++) await sleep(20);
    expect(closes).toHaveLength(1);
    expect(closes[0]).toBeInstanceOf(Error);
    expect(t.isOpen).toBe(false);
    await expect(t.write(Buffer.from([1]))).rejects.toThrow(/not open/);
    await t.close();
    expect(closes).toHaveLength(1);
  });

  it('a close on purpose says so once, without a reason', async () => {
    pty = await ptyPair();
    const t = new SerialTransport(settings(pty.a));
    const closes: (Error | undefined)[] = [];
    t.on('close', (r) => closes.push(r));
    await t.open();
    await t.close();
    await sleep(20);
    expect(closes).toEqual([undefined]);
    expect(t.isOpen).toBe(false);
  });

  it('a write larger than the line can take goes out whole and in order once the other end reads', async () => {
    pty = await ptyPair();
    const t = new SerialTransport(settings(pty.a));
    await t.open();
    // Nobody reads the far end yet: the pty and socat fill up and write(2) says EAGAIN part-way.
    const big = Buffer.alloc(256 * 1024, 0);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 0xff;
    const tail = Buffer.from('end of the queue');
    const writes = [t.write(big), t.write(tail)];
    const peer = openSync(pty.b, 'r+');
    try {
      const got: Buffer[] = [];
      let total = 0;
      const want = big.length + tail.length;
      const chunk = Buffer.alloc(64 * 1024);
      for (let i = 0; i < 2000 && total < want; i++) {
        const n = await new Promise<number>((r) =>
          setTimeout(() => r(readSync(peer, chunk, 0, chunk.length, null)), 1),
        );
        got.push(Buffer.from(chunk.subarray(0, n)));
        total += n;
      }
      await Promise.all(writes);
      expect(Buffer.concat(got).equals(Buffer.concat([big, tail]))).toBe(true);
    } finally {
      closeSync(peer);
      await t.close();
    }
  });

  it('a path that does not exist fails to open with the path in the message', async () => {
    const t = new SerialTransport(settings('/dev/does-not-exist-ems'));
    await expect(t.open()).rejects.toThrow(/does-not-exist-ems/);
  });
});
