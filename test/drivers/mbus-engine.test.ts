import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MbusMaster, mbusSerialSettings } from '../../src-main/bus/mbus-master.js';
import { deviceFromMbusReading } from '../../src-main/devices/instantiate-mbus.js';
import { Engine } from '../../src-main/engine.js';
import { startMbusSlave } from '../../src-main/sim/mbus-slave.js';
import { SerialTransport } from '../../src-main/transport/serial.js';
import { ptyPair, sleep } from '../helpers/peers.js';

let cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

describe('M-Bus through the engine', () => {
  it('a meter found on the line is configured from its readout and polled into realtime; stale when it goes silent', async () => {
    const pty = await ptyPair();
    cleanup.push(() => pty.close());
    const slaveSide = new SerialTransport(mbusSerialSettings(pty.b));
    await slaveSide.open();
    cleanup.push(() => slaveSide.close());
    const slave = startMbusSlave(slaveSide, [
      { primaryAddress: 7, id: '11223344', manufacturer: 'EMS', kind: 'electricity' },
      { primaryAddress: 9, id: '55667788', manufacturer: 'EMS', kind: 'heat', telegrams: 2 },
    ]);
    let slaveRunning = true;
    cleanup.push(() => slaveRunning && slave.stop());

    const probe = new SerialTransport(mbusSerialSettings(pty.a));
    await probe.open();
    const master = new MbusMaster(probe);
    const elec = await master.read(7);
    const heat = await master.read(9);
    await probe.close();

    const engine = new Engine({ dbFile: join(mkdtempSync(join(tmpdir(), 'ems-mbus-')), 'ems.db') });
    cleanup.push(() => engine.close());
    const e = engine.store.config.addDevice({
      ...deviceFromMbusReading(elec, { port: pty.a, baud: 2400, primary: 7 }, engine.catalogue),
      pollMs: 300,
    });
    const h = engine.store.config.addDevice({
      ...deviceFromMbusReading(
        heat,
        { port: pty.a, baud: 2400, secondary: heat.secondaryAddress! },
        engine.catalogue,
      ),
      pollMs: 300,
    });
    const keysOf = (t: typeof e) => t.loads[0]!.signals.map((s) => s.key);
    expect(keysOf(e)).toEqual(expect.arrayContaining(['energy_import', 'active_power']));
    expect(keysOf(h)).toEqual(expect.arrayContaining(['heat_energy', 'flow_temperature']));
    engine.start();
    const uids = [...e.loads[0]!.signals, ...h.loads[0]!.signals].map((s) => s.uid);
    const deadline = Date.now() + 15_000;
    while (engine.store.samples.realtime(uids).filter((r) => r.s === 1).length < uids.length) {
      if (Date.now() > deadline) throw new Error('M-Bus values did not arrive');
      await sleep(100);
    }
    const energy = engine.store.samples.realtime([
      e.loads[0]!.signals.find((s) => s.key === 'energy_import')!.uid,
    ])[0]!;
    expect(energy.v).toBeGreaterThan(0);

    slave.stop();
    slaveRunning = false;
    const until = Date.now() + 20_000;
    while (engine.poller.status(e.uid)[0]?.state !== 'stale') {
      if (Date.now() > until) throw new Error('device did not turn stale');
      await sleep(100);
    }
    expect(engine.store.samples.realtime([energy.uid])[0]!.s).toBe(0);
  }, 60_000);
});
