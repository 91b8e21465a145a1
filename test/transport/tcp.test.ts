import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TcpTransport } from '../../src-main/transport/tcp.js';
import { sleep } from '../helpers/peers.js';

let server: Server | undefined;
afterEach(() => server?.close());

/** A TCP peer on a free port; resolves with its port and a promise of the first accepted socket. */
async function peer(): Promise<{ port: number; accepted: Promise<Socket> }> {
  let accept!: (s: Socket) => void;
  const accepted = new Promise<Socket>((r) => (accept = r));
  server = createServer((s) => accept(s));
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { port: address.port, accepted };
}

/** A transport connected to a fresh peer, with the reasons of its closes collected. */
async function connected(): Promise<{
  t: TcpTransport;
  closes: (Error | undefined)[];
  accepted: Promise<Socket>;
}> {
  const { port, accepted } = await peer();
  const t = new TcpTransport({ host: '127.0.0.1', port });
  const closes: (Error | undefined)[] = [];
  t.on('close', (r) => closes.push(r));
  await t.open();
  return { t, closes, accepted };
}

describe('TcpTransport', () => {
  it('hands on each read as bytes of its own: a later read does not change an earlier chunk', async () => {
    const { port, accepted } = await peer();
    const t = new TcpTransport({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    t.on('data', (c) => chunks.push(c));
    await t.open();
    const s = await accepted;
    s.write('first reply');
    for (let i = 0; i < 100 && chunks.length < 1; i++) await sleep(10);
    s.write('SECOND');
    for (let i = 0; i < 100 && Buffer.concat(chunks).length < 17; i++) await sleep(10);
    // Read into one reused buffer: a chunk that were a view of it would now start with 'SECOND'.
    expect(chunks[0]?.toString()).toBe('first reply');
    expect(Buffer.concat(chunks).toString()).toBe('first replySECOND');
    const received: Buffer[] = [];
    s.on('data', (d: Buffer) => received.push(d));
    await t.write(Buffer.from('request'));
    for (let i = 0; i < 100 && !received.length; i++) await sleep(10);
    expect(Buffer.concat(received).toString()).toBe('request');
    await t.close();
  });

  it('says so once when the peer hangs up, and then refuses writes', async () => {
    const { t, closes, accepted } = await connected();
    (await accepted).end();
    for (let i = 0; i < 100 && !closes.length; i++) await sleep(10);
    expect(closes).toHaveLength(1);
    expect(t.isOpen).toBe(false);
    await expect(t.write(Buffer.from([1]))).rejects.toThrow(/not connected/);
  });

  it('a write the peer can no longer take ends the link once, with the reason', async () => {
    const { t, closes, accepted } = await connected();
    (await accepted).resetAndDestroy();
    // Writes go without a callback of their own: the failure reaches the owner through 'close'.
    for (let i = 0; i < 200 && !closes.length; i++) {
      if (t.isOpen) await t.write(Buffer.from([1, 2, 3]));
      await sleep(5);
    }
    await sleep(50);
    expect(closes).toHaveLength(1);
    expect(closes[0]).toBeInstanceOf(Error);
    expect(closes[0]?.message).toMatch(/ECONNRESET|EPIPE/);
    await expect(t.write(Buffer.from([1]))).rejects.toThrow(/not connected/);
  });
});
