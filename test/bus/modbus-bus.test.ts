import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModbusBus } from '../../src-main/bus/modbus-bus.js';
import { buildRtuFrame } from '../../src-main/protocol/modbus/rtu-frame.js';
import { buildTcpFrame } from '../../src-main/protocol/modbus/tcp-frame.js';
import type { Transport, TransportEvents } from '../../src-main/transport/transport.js';

/** A transport whose peer is a script: for each request, the chunks to send back and when (ms). */
class ScriptedTransport implements Transport {
  readonly endpoint = 'scripted';
  readonly isOpen = true;
  private readonly ee = new EventEmitter();
  constructor(
    readonly charTimeMs: number,
    private readonly peer: (request: Buffer) => [number, Buffer][],
  ) {}
  open(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
  /** Writes before this one throws (a port gone under the caller), for the test that wants it. */
  throwOnWrite = 0;
  write(data: Buffer): Promise<void> {
    if (this.throwOnWrite > 0 && this.throwOnWrite-- === 1) throw new Error('EIO: the adapter went away');
    for (const [at, chunk] of this.peer(data)) setTimeout(() => this.ee.emit('data', chunk), at);
    return Promise.resolve();
  }
  on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.ee.on(event, listener);
  }
  off<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.ee.off(event, listener);
  }
}

const REPLY = Buffer.from([3, 4, 0, 42, 0, 43]);

describe('ModbusBus transaction path', () => {
  it('RTU: a reply ends by the length its function code gives, not by a silence after it', async () => {
    const reply = buildRtuFrame(1, REPLY);
    // The reply in two chunks 30 ms apart; nothing follows it.
    const t = new ScriptedTransport(1.04, () => [
      [1, reply.subarray(0, 5)],
      [31, reply.subarray(5)],
    ]);
    const bus = new ModbusBus(t, { framing: 'rtu', timeoutMs: 1000, interRequestDelayMs: 0 });
    await bus.open();
    const started = performance.now();
    expect(await bus.readRegisters(1, 3, 0, 2)).toEqual([42, 43]);
    const ms = performance.now() - started;
    expect(ms).toBeGreaterThanOrEqual(29);
    // A silence timer of even 3.5 characters would still be running here; 1000 ms is the timeout.
    expect(ms).toBeLessThan(200);
    const rx = bus.monitor.frames().filter((f) => f.dir === 'rx');
    expect(rx.map((f) => [f.hex, f.outcome])).toEqual([[reply.toString('hex'), 'ok']]);
    await bus.close();
  });

  it('TCP: a second copy of a reply in the same chunk is not taken for a reply again', async () => {
    const t = new ScriptedTransport(0, (req) => {
      const f = buildTcpFrame(req.readUInt16BE(0), 1, REPLY);
      return [[1, Buffer.concat([f, f])]];
    });
    const bus = new ModbusBus(t, { framing: 'tcp', timeoutMs: 1000 });
    await bus.open();
    expect(await bus.readRegisters(1, 3, 0, 2)).toEqual([42, 43]);
    const rx = bus.monitor.frames().filter((f) => f.dir === 'rx');
    expect(rx.map((f) => f.outcome)).toEqual(['ok', 'wrong-unit']);
    expect(rx[1]?.note).toBe('transaction 1 not pending');
    expect(bus.monitor.stats.get(1)?.requests).toBe(1);
    await bus.close();
  });

  it('requests queued together run one at a time in order, and a timeout still ends one', async () => {
    const order: number[] = [];
    const t = new ScriptedTransport(0, (req) => {
      const address = req.readUInt16BE(8);
      order.push(address);
      // Address 9 is never answered.
      return address === 9 ? [] : [[2, buildTcpFrame(req.readUInt16BE(0), 1, REPLY)]];
    });
    const bus = new ModbusBus(t, { framing: 'tcp', timeoutMs: 80, retries: 0 });
    await bus.open();
    const results = await Promise.allSettled([
      bus.readRegisters(1, 3, 1, 2),
      bus.readRegisters(1, 3, 9, 2),
      bus.readRegisters(1, 3, 2, 2),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/timeout/);
    expect(order).toEqual([1, 9, 2]);
    expect(bus.queueLength).toBe(0);
    await bus.close();
  });

  it('its reply watchdog does not keep a process alive after the last answer', () => {
    const wait = resolve(import.meta.dirname, '../../src-main/bus/reply-wait.ts');
    const script = `
      const { ReplyWait } = await import(${JSON.stringify(wait)});
      const w = new ReplyWait();
      let ended = false;
      w.begin(1, 1, Buffer.alloc(1), Buffer.alloc(1), 20000, undefined, undefined, () => (ended = true));
      w.settle(Buffer.from([3, 0]));
      if (!ended) throw new Error('the wait did not end');`;
    const started = Date.now();
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 15000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(10000);
  });
});

describe('ModbusBus: a request sent at once (the line free and ready) ends the same ways', () => {
  /** An RTU peer answering each request by the script's entry for its attempt (undefined: silence). */
  function rtuPeer(replies: (Buffer | undefined)[]): { t: ScriptedTransport; sent: Buffer[] } {
    const sent: Buffer[] = [];
    const t = new ScriptedTransport(1.04, (req) => {
      sent.push(req);
      const reply = replies[sent.length - 1];
      return reply ? [[1, reply]] : [];
    });
    return { t, sent };
  }
  const good = buildRtuFrame(1, REPLY);
  const badCrc = Buffer.from(good);
  badCrc[badCrc.length - 1]! ^= 0xff;
  const open = async (t: ScriptedTransport, retries: number): Promise<ModbusBus> => {
    const bus = new ModbusBus(t, { framing: 'rtu', timeoutMs: 60, interRequestDelayMs: 0, retries });
    await bus.open();
    return bus;
  };

  it('retried after a timeout and after a CRC error, then answered; each attempt in the monitor', async () => {
    const { t, sent } = rtuPeer([undefined, badCrc, good]);
    const bus = await open(t, 2);
    expect(await bus.readRegisters(1, 3, 0, 2)).toEqual([42, 43]);
    expect(sent).toHaveLength(3);
    const rows = bus.monitor.frames().map((f) => `${f.dir}:${f.outcome ?? ''}`);
    expect(rows).toEqual(['tx:', 'none:timeout', 'tx:', 'rx:crc-error', 'tx:', 'rx:ok']);
    expect(bus.monitor.stats.get(1)).toMatchObject({ requests: 3, timeouts: 1, crcErrors: 1, errors: 2 });
    expect(bus.queueLength).toBe(0);
    await bus.close();
  });

  it('a malformed reply is retried; with no retries left the error is the last one', async () => {
    // Two registers asked, one given: a byte count that does not match the request.
    const short = buildRtuFrame(1, Buffer.from([3, 2, 0, 42]));
    const first = rtuPeer([short, good]);
    const bus = await open(first.t, 1);
    expect(await bus.readRegisters(1, 3, 0, 2)).toEqual([42, 43]);
    expect(first.sent).toHaveLength(2);
    await bus.close();

    const none = rtuPeer([short]);
    const strict = await open(none.t, 0);
    await expect(strict.readRegisters(1, 3, 0, 2)).rejects.toMatchObject({ kind: 'malformed' });
    expect(none.sent).toHaveLength(1);
    await strict.close();
  });

  it('an exception reply is not retried, and the line is free for the next request at once', async () => {
    const { t, sent } = rtuPeer([buildRtuFrame(1, Buffer.from([0x83, 2])), good]);
    const bus = await open(t, 3);
    await expect(bus.readRegisters(1, 3, 0, 2)).rejects.toMatchObject({
      kind: 'exception',
      context: { exceptionCode: 2 },
    });
    expect(sent).toHaveLength(1);
    expect(await bus.readRegisters(1, 3, 0, 2)).toEqual([42, 43]);
    expect(bus.monitor.frames().map((f) => f.dir)).toEqual(['tx', 'rx', 'tx', 'rx']);
    await bus.close();
  });

  it('close() ends a request waiting for its reply; once reopened the bus answers again', async () => {
    const { t } = rtuPeer([undefined, good]);
    const bus = await open(t, 0);
    const pending = bus.readRegisters(1, 3, 0, 2);
    await bus.close();
    await expect(pending).rejects.toMatchObject({ kind: 'closed' });
    await bus.open();
    expect(await bus.readRegisters(1, 3, 0, 2)).toEqual([42, 43]);
    expect(bus.queueLength).toBe(0);
    await bus.close();
  });

  it('a transport that throws on write fails that request only; the next one goes out', async () => {
    const { t, sent } = rtuPeer([good]);
    t.throwOnWrite = 1;
    const bus = await open(t, 2);
    await expect(bus.readRegisters(1, 3, 0, 2)).rejects.toMatchObject({ kind: 'disconnected' });
    expect(bus.queueLength).toBe(0);
    expect(await bus.readRegisters(1, 3, 0, 2)).toEqual([42, 43]);
    expect(sent).toHaveLength(1);
    await bus.close();
  });

  it('a block read again goes out as the same request; other units, functions and ranges as their own', async () => {
    const sent: Buffer[] = [];
    const t = new ScriptedTransport(1.04, (req) => {
      sent.push(Buffer.from(req));
      const unit = req[0]!;
      const count = req.readUInt16BE(4);
      const pdu = Buffer.alloc(2 + 2 * count);
      pdu[0] = req[1]!;
      pdu[1] = 2 * count;
      for (let i = 0; i < count; i++) pdu.writeUInt16BE(unit * 1000 + req.readUInt16BE(2) + i, 2 + 2 * i);
      return [[1, buildRtuFrame(unit, pdu)]];
    });
    const bus = new ModbusBus(t, { framing: 'rtu', timeoutMs: 200, interRequestDelayMs: 0 });
    await bus.open();
    const reads: [number, 3 | 4, number, number][] = [
      [1, 3, 0, 2],
      [1, 3, 0, 2],
      [2, 3, 0, 2],
      [1, 4, 0, 2],
      [1, 3, 100, 2],
      [1, 3, 0, 3],
      [1, 3, 0, 2],
      // Past what a cached request holds (count ≤ 127): made for this read alone.
      [1, 3, 0, 125],
    ];
    for (const [unit, fc, address, count] of reads)
      expect(await bus.readRegisters(unit, fc, address, count)).toEqual(
        Array.from({ length: count }, (_, i) => unit * 1000 + address + i),
      );
    expect(sent.map((f) => f.toString('hex'))).toEqual(
      reads.map(([unit, fc, address, count]) =>
        buildRtuFrame(unit, Buffer.from([fc, address >> 8, address & 0xff, 0, count])).toString('hex'),
      ),
    );
    // Hundreds of ranges (a technician's reads, a scan): each still the request it should be.
    for (let a = 0; a < 600; a += 1) {
      const values = await bus.readRegisters(1, 3, a, 1);
      expect(values).toEqual([1000 + a]);
    }
    await bus.close();
  });

  it('a cached read that fails says which registers, and nothing else it carries', async () => {
    const { t } = rtuPeer([good, undefined, undefined]);
    const bus = await open(t, 0);
    expect(await bus.readRegisters(1, 3, 7, 2)).toEqual([42, 43]);
    const err = await bus.readRegisters(1, 3, 7, 2).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'timeout' });
    expect((err as { context: object }).context).toEqual({
      endpoint: 'scripted',
      unit: 1,
      fc: 3,
      address: 7,
      count: 2,
      exceptionCode: undefined,
    });
    await bus.close();
  });
});
