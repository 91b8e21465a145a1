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
  write(data: Buffer): Promise<void> {
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
      const p = w.begin(1, 1, Buffer.alloc(1), Buffer.alloc(1), 20000, undefined, undefined);
      w.settle(Buffer.from([3, 0]));
      await p;`;
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
