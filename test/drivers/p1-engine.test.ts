import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deviceFromP1 } from '../../src-main/devices/instantiate-p1.js';
import { P1DeviceReader } from '../../src-main/drivers/p1-driver.js';
import { Engine } from '../../src-main/engine.js';
import { startP1Meter } from '../../src-main/sim/p1-meter.js';
import { SerialTransport } from '../../src-main/transport/serial.js';
import { ptyPair, sleep, type PtyPair } from '../helpers/peers.js';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function meterOn(pty: PtyPair) {
  const side = new SerialTransport({
    path: pty.b,
    baudRate: 115200,
    parity: 'none',
    dataBits: 8,
    stopBits: 1,
  });
  await side.open();
  const meter = startP1Meter(side, { intervalMs: 300 });
  return { stop: async () => (await meter.stop(), await side.close()) };
}

describe('P1 through the engine', () => {
  it('a P1 port configured as a device is polled into realtime: electricity and the gas channel', async () => {
    const pty = await ptyPair();
    cleanup.push(() => pty.close());
    const meter = await meterOn(pty);
    cleanup.push(meter.stop);
    const engine = new Engine({ dbFile: join(mkdtempSync(join(tmpdir(), 'ems-p1-')), 'ems.db') });
    cleanup.push(() => engine.close());
    const tree = engine.store.config.addDevice({
      ...deviceFromP1(
        { port: pty.a, baud: 115200, parity: 'none', dataBits: 8, dsmr: '5.0' },
        engine.catalogue,
      ),
      pollMs: 300,
    });
    engine.start();
    const uidOf = (key: string) => tree.loads.flatMap((l) => l.signals).find((s) => s.key === key)!.uid;
    const rt = (key: string) => engine.store.samples.realtime([uidOf(key)])[0];
    await waitFor(() => rt('energy_import_t1')?.s === 1 && rt('gas_volume')?.s === 1, 10_000, 'P1 values');
    expect(rt('voltage_l1')!.v).toBeGreaterThan(200);
    const first = rt('energy_import_t1')!.v as number;
    await sleep(1500);
    expect(rt('energy_import_t1')!.v as number).toBeGreaterThanOrEqual(first);
  });

  it('the reader turns stale when telegrams stop and fresh when they come back', async () => {
    const pty = await ptyPair();
    cleanup.push(() => pty.close());
    const reader = new P1DeviceReader({ port: pty.a, baud: 115200, parity: 'none', dataBits: 8 }, 1200);
    cleanup.push(() => reader.close());
    let meter = await meterOn(pty);
    await waitFor(() => reader.stats.telegrams > 0, 5000, 'a telegram');
    expect((await reader.read()).answered).toBe(true);
    await meter.stop();
    await sleep(1600);
    const silent = await reader.read();
    expect(silent.answered).toBe(false);
    expect(silent.error).toMatch(/no telegram/);
    meter = await meterOn(pty);
    cleanup.push(meter.stop);
    await waitFor(() => Date.now() - (reader.stats.lastTelegramAt ?? 0) < 500, 5000, 'fresh telegrams');
    expect((await reader.read()).answered).toBe(true);
  });
});
