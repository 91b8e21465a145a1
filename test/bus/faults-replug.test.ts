import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deviceFromModel } from '../../src-main/devices/instantiate.js';
import { Engine } from '../../src-main/engine.js';
import { SimulatedMeter } from '../../src-main/sim/modbus-sim.js';
import { serveSerialBus, type RunningBus } from '../../src-main/sim/sim-bus-servers.js';
import { SimulatedBus } from '../../src-main/sim/sim-bus.js';
import { dbFile, socatAt, waitFor } from './faults-helpers.js';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

describe('the USB-RS485 adapter disappears and comes back', () => {
  it('the bus reconnects by itself within 2 s and the device recovers from stale', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ems-replug-'));
    const a = join(dir, 'ttyUSB0');
    const b = join(dir, 'meter');
    let socat = await socatAt(a, b);
    const engine = new Engine({ dbFile: dbFile() });
    const model = engine.library.require('cg-em24-rs485');
    const meter = new SimulatedMeter({ model, unit: 1 });
    let sim: RunningBus = await serveSerialBus(new SimulatedBus([meter]), b);
    cleanup.push(
      () => engine.close(),
      () => sim.stop(),
      () => void socat.kill('SIGKILL'),
    );
    const tree = engine.addDevice({
      ...deviceFromModel(
        model,
        { port: a, baud: 9600, parity: 'none', stopBits: 1, unit: 1, model: model.id },
        engine.catalogue,
        { keys: ['voltage_l1', 'frequency'] },
      ),
      pollMs: 200,
    });
    engine.start();
    const state = () => engine.poller.status(tree.uid)[0]?.state;
    const bus = () => engine.busList().find((x) => x.key === `serial:${a}`);
    await waitFor(() => state() === 'online', 5000, 'first reading');

    socat.kill('SIGKILL');
    // The device nodes vanish with the adapter (udev removes them); a dangling link could otherwise
    // end up pointing at another test's recycled pty.
    rmSync(a, { force: true });
    rmSync(b, { force: true });
    await sim.stop();
    await waitFor(() => state() === 'stale', 5000, 'stale after unplugging');
    expect(bus()?.state).toBe('disconnected');
    const voltage = tree.loads[0]!.signals.find((s) => s.key === 'voltage_l1')!;
    expect(engine.store.samples.realtime([voltage.uid])[0]?.s).toBe(0);

    socat = await socatAt(a, b);
    sim = await serveSerialBus(new SimulatedBus([meter]), b);
    const reconnectMs = await waitFor(() => bus()?.state === 'open', 2000, 'the bus to reopen');
    await waitFor(() => state() === 'online', 2000, 'the device to recover');
    expect(reconnectMs).toBeLessThan(2000);
    expect(engine.store.samples.realtime([voltage.uid])[0]?.s).toBe(1);
    expect(engine.busFrames(`serial:${a}`).some((f) => f.outcome === 'disconnected')).toBe(true);
  }, 20_000);
});
