import { afterEach, describe, expect, it } from 'vitest';
import type { ModbusError } from '../../src-main/bus/errors.js';
import { ModbusBus } from '../../src-main/bus/modbus-bus.js';
import { startRs485Line, type LineEnd, type Rs485Line } from '../../src-main/sim/rs485-line.js';
import { SerialTransport } from '../../src-main/transport/serial.js';
import { sleep, startPymodbus, type RegisterSpec } from '../helpers/peers.js';

/**
 * Faults at real wire speed, on the emulated RS485 line (scripts/rs485-line.py): a socat pty moves
 * a reply instantly, so a slave's turnaround and a late reply never meet the timeouts built on wire time.
 */
let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

const REGS: RegisterSpec[number] = { hr: { 0: [11, 22, 33, 44] } };

async function lineWith(
  slaves: { end: LineEnd; units: RegisterSpec }[],
  baud = 9600,
): Promise<{ line: Rs485Line; bus: ModbusBus }> {
  const line = await startRs485Line({ ends: [{}, ...slaves.map((s) => s.end)] });
  cleanup.push(() => line.stop());
  for (const [i, s] of slaves.entries()) {
    const slave = await startPymodbus({ serial: line.paths[i + 1]!, baud }, s.units);
    cleanup.push(() => slave.stop());
  }
  const transport = new SerialTransport({
    path: line.paths[0]!,
    baudRate: baud,
    parity: 'none',
    dataBits: 8,
    stopBits: 1,
  });
  const bus = new ModbusBus(transport, { framing: 'rtu', timeoutMs: 1000, timeoutFloorMs: 20 });
  cleanup.push(() => bus.close());
  await bus.open();
  return { line, bus };
}

/** Waits until pymodbus answers (a loaded machine may take a while to start it); its answers so far. */
async function answering(bus: ModbusBus, unit: number): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const ok = await bus.readRegisters(unit, 3, 0, 1, { retries: 0, timeoutMs: 500 }).then(
      () => true,
      () => false,
    );
    if (ok) return;
  }
  throw new Error(`unit ${unit} never answered`);
}

describe('RTU at wire speed on the emulated line', () => {
  it('a slave with a 120 ms turnaround: no timeouts once its latency is known; the adaptive timeout follows it', async () => {
    const { bus } = await lineWith([{ end: { delayMs: 120 }, units: { 1: REGS } }]);
    await answering(bus, 1);
    const timeoutsBefore = bus.monitor.stats.get(1)?.timeouts ?? 0;
    for (let i = 0; i < 4; i++) expect(await bus.readRegisters(1, 3, 0, 4)).toEqual([11, 22, 33, 44]);
    const stats = bus.monitor.stats.get(1)!;
    expect(stats.timeouts - timeoutsBefore).toBe(0);
    // Request (8 bytes) + turnaround + reply (13 bytes) at 9600: 120 ms and 21 character times, less
    // what the emulated line gives back — it hands each byte over in the middle of its stop bit (half
    // a bit early at each end), 120 + 20.9 characters in all; measured 141.5–141.8 ms.
    expect(stats.meanMs).toBeGreaterThan(120 + 20 * 1.04);
    const adaptive = bus.timeoutFor(1, 13);
    expect(adaptive).toBeGreaterThanOrEqual(stats.meanMs * 3);
    expect(adaptive).toBeLessThanOrEqual(1000);
  });

  it('a reply later than the timeout is heard as late, and the next request gets its own answer', async () => {
    const { bus } = await lineWith([{ end: { delayMs: 150 }, units: { 1: REGS } }]);
    await answering(bus, 1);
    await sleep(200);
    // 100 ms: the request's own 8 characters and a little more, not the slave's 150 ms turnaround.
    await expect(bus.readRegisters(1, 3, 0, 4, { timeoutMs: 100, retries: 0 })).rejects.toMatchObject({
      kind: 'timeout',
    });
    await sleep(150);
    const late = bus.monitor.frames().filter((f) => f.dir === 'rx' && f.outcome === 'wrong-unit');
    expect(late.map((f) => f.note)).toContain('no request pending');
    expect(await bus.readRegisters(1, 3, 1, 2, { timeoutMs: 600 })).toEqual([22, 33]);
  });

  it("two slaves at one unit id: their replies collide; a value read is always one slave's whole", async () => {
    const { bus, line } = await lineWith([
      { end: {}, units: { 1: REGS } },
      { end: {}, units: { 1: { hr: { 0: [99, 98, 97, 96] } } } },
    ]);
    // Both slaves listening (a loaded machine may take a while to start pymodbus): each has answered.
    for (let i = 0; i < 20; i++) {
      await bus.readRegisters(1, 3, 0, 4, { retries: 0, timeoutMs: 300 }).catch(() => undefined);
      await sleep(80);
      const s = await line.stats();
      if (s.ends[1]!.sent && s.ends[2]!.sent) break;
    }
    line.resetStats();
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i++) {
      await bus
        .readRegisters(1, 3, 0, 4, { retries: 0, timeoutMs: 300 })
        .then((v) => outcomes.push(v.join(',')))
        .catch((e: ModbusError) => outcomes.push(e.kind));
      await sleep(80);
    }
    const stats = await line.stats();
    // Replies that start within a frame of each other collide: the master hears garbage, or nothing
    // when every character's stop bit is broken. pymodbus hears the other slave's reply as a bad
    // request and now and then misses the next one, so a read may also get one slave's clean reply.
    expect(stats.collisions).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o === 'crc' || o === 'timeout').length).toBeGreaterThan(0);
    for (const o of outcomes) expect(['11,22,33,44', '99,98,97,96', 'crc', 'timeout']).toContain(o);
  });
});
