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

  it('a path that does not exist fails to open with the path in the message', async () => {
    const t = new SerialTransport(settings('/dev/does-not-exist-ems'));
    await expect(t.open()).rejects.toThrow(/does-not-exist-ems/);
  });
});
