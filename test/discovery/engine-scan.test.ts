import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrameBatch } from '../../src-main/bus/monitor-hub.js';
import { AddFromScanError } from '../../src-main/commissioning/add-from-scan.js';
import { CommissioningError } from '../../src-main/commissioning/service.js';
import { Engine } from '../../src-main/engine.js';
import { SimulatedMeter } from '../../src-main/sim/modbus-sim.js';
import { serveSerialBus, type RunningBus } from '../../src-main/sim/sim-bus-servers.js';
import { SimulatedBus } from '../../src-main/sim/sim-bus.js';
import { ptyPair, sleep, type PtyPair } from '../helpers/peers.js';

describe('scanning through the engine: every library model identified, added, polled, monitored', () => {
  let pty: PtyPair;
  let sim: RunningBus;
  let engine: Engine;

  beforeAll(async () => {
    pty = await ptyPair();
    engine = new Engine({ dbFile: join(mkdtempSync(join(tmpdir(), 'ems-escan-')), 'ems.db') });
    engine.start();
    // One meter of every model on one bus, at unit ids 1..N.
    const meters = engine.library.all.map((model, i) => new SimulatedMeter({ model, unit: i + 1 }));
    sim = await serveSerialBus(new SimulatedBus(meters), pty.b);
  });
  afterAll(async () => {
    await engine?.close();
    await sim?.stop();
    pty?.close();
  });

  it('identifies each model from its own id register (CG 0x000B codes, Eastron meter code, ABB ascii)', async () => {
    const batches: FrameBatch[] = [];
    const off = engine.onBusFrames((b) => batches.push(b));
    const during: string[] = [];
    const report = await engine.scanRtu(
      {
        port: pty.a,
        bauds: [9600],
        parities: ['none'],
        // Every model's unit and one empty id after them.
        units: Array.from({ length: engine.library.all.length + 1 }, (_, i) => i + 1),
      },
      {
        onProgress: (p) => {
          if (p.current.unit === 5) during.push(...engine.busList().map((b) => `${b.purpose} ${b.key}`));
        },
      },
    );
    await sleep(300);
    off();
    // A model whose maker documents no id register (Janitza UMG 96RM) answers, but is not named.
    const named = engine.library.all.filter((m) => m.identification);
    const meters = report.found.filter((d) => d.kind === 'meter');
    expect(meters.map((d) => d.model)).toEqual(named.map((m) => m.id));
    const unnamed = engine.library.all.flatMap((m, i) => (m.identification ? [] : [i + 1]));
    expect(unnamed).toHaveLength(1);
    const others = report.found.filter((d) => d.kind !== 'meter');
    expect(others.map((d) => [d.connection.unit, d.model])).toEqual(unnamed.map((u) => [u, undefined]));
    const abb = report.found.find((d) => d.model === 'abb-b2x');
    expect(abb?.idRegisters.at(-1)).toMatchObject({ fc: 3, register: 0x8960 });
    expect(abb?.variant).toMatch(/^B21/);
    // The scan's bus was in the monitor while it ran, and its frames reached subscribers.
    expect(during.some((x) => x.startsWith(`scan scan:serial:${pty.a}@9600 8N1`))).toBe(true);
    expect(engine.busList().some((b) => b.purpose === 'scan')).toBe(false);
    expect(batches.some((b) => b.key.startsWith('scan:') && b.frames.some((f) => f.dir === 'tx'))).toBe(true);
    // Frames arrive in batches, not one event per frame.
    expect(batches.length).toBeLessThan(batches.reduce((n, b) => n + b.frames.length, 0));

    const em340 = report.found.find((d) => d.model === 'cg-em340-et340')!;
    const tree = engine.addFromScan(em340, { label: 'PV', loadType: 1 });
    expect(tree).toMatchObject({ label: 'PV', model: 'cg-em340-et340', system: '3P.N', protocol: 'rtu' });
    expect(tree.loads[0]?.type).toBe(1);
    const v = tree.loads[0]!.signals.find((s) => s.key === 'voltage_l1')!.uid;
    const deadline = Date.now() + 5000;
    while (engine.store.samples.realtime([v])[0]?.s !== 1 && Date.now() < deadline) await sleep(50);
    expect(engine.store.samples.realtime([v])[0]?.v).toBeGreaterThan(220);
    const key = `serial:${pty.a}`;
    expect(engine.busList().find((b) => b.key === key)).toMatchObject({ purpose: 'poll', state: 'open' });
    const stats = engine.busStats(key).find((s) => s.unit === em340.connection.unit);
    expect(stats?.devices).toEqual([{ uid: tree.uid, label: 'PV' }]);
    expect(stats?.requests).toBeGreaterThan(0);
    expect(engine.busFrames(key, engine.busFrames(key).at(-2)?.seq ?? 0)).toHaveLength(1);
  });

  it('refuses to scan a port its devices are polling, and to add what is not a meter', async () => {
    const e = await engine
      .scanRtu({ port: pty.a, bauds: [9600], parities: ['none'], units: [1] })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CommissioningError);
    expect((e as Error).message).toMatch(/is being polled/);
    const unknown = {
      protocol: 'rtu',
      connection: { port: pty.a, baud: 9600, parity: 'none', stopBits: 1, unit: 9 },
      kind: 'unknown',
      idRegisters: [{ fc: 3, register: 11, words: [4242] }],
      latencyMs: 3,
    };
    expect(() => engine.addFromScan(unknown)).toThrow(AddFromScanError);
    expect(() => engine.addFromScan({ ...unknown, kind: 'meter' })).toThrow(AddFromScanError);
    expect(() => engine.addFromScan({ hello: 1 })).toThrow(/scan result is not valid/);
  });

  it('lists serial ports through the engine', async () => {
    expect(Array.isArray(await engine.listPorts())).toBe(true);
  });
});
