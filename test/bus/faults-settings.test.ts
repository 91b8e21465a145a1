import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { BusRegistry } from '../../src-main/bus/bus-registry.js';
import { deviceFromModel } from '../../src-main/devices/instantiate.js';
import { Engine } from '../../src-main/engine.js';
import { freePort } from '../../src-main/sim/demo-plant.js';
import { SimulatedMeter } from '../../src-main/sim/modbus-sim.js';
import { serveSerialBus, serveTcpBus } from '../../src-main/sim/sim-bus-servers.js';
import { SimulatedBus } from '../../src-main/sim/sim-bus.js';
import { ptyPair, requireTool } from '../helpers/peers.js';
import { dbFile, waitFor } from './faults-helpers.js';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

describe('field settings', () => {
  it('a register this variant lacks (exception 2) is marked unsupported, not the whole block failed', async () => {
    const engine = new Engine({ dbFile: dbFile() });
    const model = engine.library.require('cg-em340-et340');
    const port = await freePort();
    const sim = await serveTcpBus(
      new SimulatedBus([new SimulatedMeter({ model, unit: 1, missingKeys: ['thd_voltage_l1'] })]),
      port,
    );
    cleanup.push(
      () => engine.close(),
      () => sim.stop(),
    );
    const tree = engine.addDevice({
      ...deviceFromModel(model, { host: '127.0.0.1', port, unit: 1, model: model.id }, engine.catalogue, {
        keys: ['thd_voltage', 'thd_voltage_l1', 'thd_voltage_l2', 'thd_voltage_l3', 'voltage_l1'],
      }),
      pollMs: 200,
    });
    engine.start();
    const sig = (key: string) => tree.loads[0]!.signals.find((s) => s.key === key)!.uid;
    const rt = (key: string) => engine.store.samples.realtime([sig(key)])[0];
    await waitFor(() => rt('thd_voltage_l2')?.s === 1, 5000, 'the neighbours of the missing register');
    expect(engine.poller.status(tree.uid)[0]?.state).toBe('online');
    expect(rt('thd_voltage_l3')?.s).toBe(1);
    expect(rt('thd_voltage_l1')).toBeUndefined();
    const check = await engine.checkDevice(tree.uid);
    expect(check.unsupported).toContain('thd_voltage_l1');
  });

  it('RTU over TCP through a serial gateway (socat TCP-LISTEN bridging to a pty with the simulator)', async () => {
    requireTool('/usr/bin/socat', 'socat');
    const pty = await ptyPair();
    const engine = new Engine({ dbFile: dbFile() });
    const model = engine.library.require('cg-em340-et340');
    const sim = await serveSerialBus(new SimulatedBus([new SimulatedMeter({ model, unit: 4 })]), pty.b);
    const port = await freePort();
    const gateway = spawn(
      '/usr/bin/socat',
      // rawer,nonblock: with `raw,echo=0` the gateway's child now and then sat in a blocking read(2)
      // on the pty after poll had called it readable (seen with strace: 1 run in ~10 under load), and
      // from then on forwarded nothing either way; non-blocking, a false wake-up costs nothing.
      [`TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork`, `FILE:${pty.a},rawer,nonblock`],
      {
        stdio: 'ignore',
      },
    );
    cleanup.push(
      () => pty.close(),
      () => sim.stop(),
      () => void gateway.kill('SIGKILL'),
      () => engine.close(),
    );
    // No probe connection to see socat listen: each connection forks a child that opens the pty, and
    // a lingering one would read replies meant for the engine. The bus retries until socat listens.
    const tree = engine.addDevice({
      ...deviceFromModel(
        model,
        { host: '127.0.0.1', port, unit: 4, model: model.id, rtuOverTcp: true },
        engine.catalogue,
        {
          keys: ['voltage_l1', 'frequency'],
        },
      ),
      pollMs: 200,
    });
    engine.start();
    const v = tree.loads[0]!.signals.find((s) => s.key === 'voltage_l1')!.uid;
    await waitFor(
      () => engine.store.samples.realtime([v])[0]?.s === 1,
      10_000,
      'a reading through the gateway',
    );
    expect(engine.store.samples.realtime([v])[0]?.v).toBeGreaterThan(220);
    const bus = engine.busList().find((b) => b.key === `tcp:127.0.0.1:${port}`);
    expect(bus?.framing).toBe('rtu-over-tcp');
    // RTU frames on the wire (unit, function, CRC), not MBAP headers.
    const tx = engine.busFrames(bus!.key).find((f) => f.dir === 'tx')!;
    expect(tx.hex.startsWith('0403')).toBe(true);
  });

  it('one host:port is Modbus TCP or RTU over TCP, never both', async () => {
    const buses = new BusRegistry({ reconnect: false });
    cleanup.push(() => buses.closeAll());
    const port = await freePort();
    buses.acquire({ kind: 'tcp', host: '127.0.0.1', port });
    expect(() => buses.acquire({ kind: 'tcp', host: '127.0.0.1', port, rtuOverTcp: true })).toThrow(
      /is configured as Modbus TCP; one host:port cannot mix both/,
    );
    const other = await freePort();
    buses.acquire({ kind: 'tcp', host: '127.0.0.1', port: other, rtuOverTcp: true });
    expect(() => buses.acquire({ kind: 'tcp', host: '127.0.0.1', port: other })).toThrow(
      /is configured as RTU over TCP/,
    );
    expect(buses.acquire({ kind: 'tcp', host: '127.0.0.1', port })).toBe(buses.find(`tcp:127.0.0.1:${port}`));
  });

  it('per-bus timings: applied to the running bus, kept in the store, checked', async () => {
    const db = dbFile();
    const engine = new Engine({ dbFile: db });
    const model = engine.library.require('eastron-sdm630');
    const port = await freePort();
    const sim = await serveTcpBus(new SimulatedBus([new SimulatedMeter({ model, unit: 1 })]), port);
    cleanup.push(() => sim.stop());
    const key = `tcp:127.0.0.1:${port}`;
    engine.addDevice({
      ...deviceFromModel(model, { host: '127.0.0.1', port, unit: 1, model: model.id }, engine.catalogue, {
        keys: ['voltage_l1', 'current_l1', 'frequency', 'energy_import'],
      }),
      pollMs: 100,
    });
    engine.start();
    expect(engine.setBusSettings(key, { interRequestDelayMs: 60, timeoutMs: 800 })).toEqual({
      interRequestDelayMs: 60,
      timeoutMs: 800,
    });
    expect(engine.busSettings(key)).toMatchObject({ interRequestDelayMs: 60, timeoutMs: 800 });
    await waitFor(() => engine.busFrames(key).filter((f) => f.dir === 'tx').length >= 6, 5000, 'requests');
    const tx = engine.busFrames(key).filter((f) => f.dir === 'tx');
    const gaps = tx.slice(-4).map((f, i, all) => (i ? f.t - all[i - 1]!.t : Infinity));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(55);
    expect(() => engine.setBusSettings(key, { retries: 9 })).toThrow(/retries/);
    expect(() => engine.setBusSettings(key, { timeoutMs: 100, timeoutFloorMs: 500 })).toThrow(
      /above timeoutMs/,
    );
    expect(() => engine.setBusSettings('nonsense', {})).toThrow(/not a bus key/);
    await engine.close();

    const again = new Engine({ dbFile: db, poll: false });
    cleanup.push(() => again.close());
    expect(again.busSettings(key)).toEqual({ interRequestDelayMs: 60, timeoutMs: 800 });
  });
});
