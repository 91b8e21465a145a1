import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ModbusBus } from '../../src-main/bus/modbus-bus.js';
import { loadLibrary } from '../../src-main/devices/library.js';
import { ModbusDriver } from '../../src-main/drivers/modbus-driver.js';
import { freePort } from '../../src-main/sim/demo-plant.js';
import { serveTcp, SimulatedMeter } from '../../src-main/sim/modbus-sim.js';
import { buildTcpFrame } from '../../src-main/protocol/modbus/tcp-frame.js';
import { TcpTransport } from '../../src-main/transport/tcp.js';

let cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

/** A Modbus TCP peer whose behaviour per connection is scripted: answer, reset, or swallow requests. */
function scriptedPeer(
  port: number,
  behaviour: (conn: number) => 'answer' | 'reset-after-one' | 'blackhole',
): Promise<Server> {
  let conns = 0;
  const server = createServer((sock: Socket) => {
    const mode = behaviour(++conns);
    let answered = 0;
    sock.on('error', () => undefined);
    sock.on('data', (req: Buffer) => {
      if (mode === 'blackhole') return;
      if (mode === 'reset-after-one' && answered >= 1) {
        sock.resetAndDestroy();
        return;
      }
      answered++;
      // Reply to a read of 1 register with the value 42.
      sock.write(buildTcpFrame(req.readUInt16BE(0), req[6] ?? 1, Buffer.from([req[7] ?? 3, 2, 0, 42])));
    });
  });
  return new Promise((r) => server.listen(port, '127.0.0.1', () => r(server)));
}

describe('TCP faults', () => {
  it('a peer that resets the connection: the request fails as disconnected, the next one reconnects', async () => {
    const port = await freePort();
    const server = await scriptedPeer(port, (n) => (n === 1 ? 'reset-after-one' : 'answer'));
    cleanup.push(() => new Promise((r) => server.close(r)));
    const bus = new ModbusBus(new TcpTransport({ host: '127.0.0.1', port }), {
      framing: 'tcp',
      timeoutMs: 500,
      retries: 0,
    });
    cleanup.push(() => bus.close());
    await bus.open();
    expect(await bus.readRegisters(1, 3, 0, 1)).toEqual([42]);
    const e = await bus.readRegisters(1, 3, 0, 1).catch((x: Error) => x);
    expect((e as Error).message).toMatch(/disconnected|timeout/);
    expect(await bus.readRegisters(1, 3, 0, 1)).toEqual([42]);
    expect(bus.monitor.frames().some((f) => f.outcome === 'disconnected')).toBe(true);
  });

  it('a half-open link (writes accepted, never answered) is dropped after three misses and reopened', async () => {
    const port = await freePort();
    let conns = 0;
    const server = await scriptedPeer(port, (n) => {
      conns = n;
      return n === 1 ? 'answer' : n === 2 ? 'blackhole' : 'answer';
    });
    cleanup.push(() => new Promise((r) => server.close(r)));
    const bus = new ModbusBus(new TcpTransport({ host: '127.0.0.1', port }), {
      framing: 'tcp',
      timeoutMs: 200,
      retries: 0,
      reconnectIntervalMs: 50,
    });
    cleanup.push(() => bus.close());
    await bus.open();
    expect(await bus.readRegisters(1, 3, 0, 1)).toEqual([42]);
    // Force the second connection to be the black hole.
    await bus.transport.close();
    await new Promise((r) => setTimeout(r, 120));
    for (let i = 0; i < 3; i++)
      expect((await bus.readRegisters(1, 3, 0, 1).catch((x: Error) => x)) instanceof Error).toBe(true);
    await new Promise((r) => setTimeout(r, 150));
    expect(await bus.readRegisters(1, 3, 0, 1)).toEqual([42]);
    expect(conns).toBeGreaterThanOrEqual(3);
  });

  it('a slow slave is read without timeouts once its latency is known; the adaptive timeout follows it', async () => {
    const model = loadLibrary().require('eastron-sdm630');
    const port = await freePort();
    const sim = await serveTcp(new SimulatedMeter({ model, unit: 1, delayMs: 150 }), port);
    cleanup.push(() => sim.stop());
    const bus = new ModbusBus(new TcpTransport({ host: '127.0.0.1', port }), {
      framing: 'tcp',
      timeoutMs: 2000,
      timeoutFloorMs: 50,
    });
    cleanup.push(() => bus.close());
    await bus.open();
    const driver = new ModbusDriver(bus, model, 1, ['voltage_l1', 'frequency']);
    for (let i = 0; i < 3; i++) {
      const r = await driver.read();
      expect(r.errors).toEqual([]);
    }
    expect(bus.timeoutFor(1)).toBeGreaterThanOrEqual(150 * 3);
    expect(bus.timeoutFor(1)).toBeLessThanOrEqual(2000);
    expect(bus.monitor.stats.get(1)?.timeouts ?? 0).toBe(0);
    expect(bus.monitor.stats.get(1)?.meanMs).toBeGreaterThan(140);
  });
});
