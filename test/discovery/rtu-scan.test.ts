import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModbusBus } from '../../src-main/bus/modbus-bus.js';
import { loadLibrary } from '../../src-main/devices/library.js';
import { scanRtu } from '../../src-main/discovery/rtu-scan.js';
import type { ScanProgress, RtuPosition } from '../../src-main/discovery/scan-types.js';
import { SimulatedMeter } from '../../src-main/sim/modbus-sim.js';
import { serveSerialBus, type RunningBus } from '../../src-main/sim/sim-bus-servers.js';
import { startRs485Line, type Rs485Line } from '../../src-main/sim/rs485-line.js';
import { SimulatedBus } from '../../src-main/sim/sim-bus.js';
import { imageFor } from '../helpers/model-image.js';
import { ptyPair, startPymodbus, type PtyPair, type PymodbusSlave } from '../helpers/peers.js';

const library = loadLibrary();
const em24 = library.require('cg-em24-rs485');
const sdm = library.require('eastron-sdm630');
const em340 = library.require('cg-em340-et340');

describe('RTU scan against pymodbus: two meters, a gateway answering zeros, an unknown device', () => {
  let pty: PtyPair;
  let slave: PymodbusSlave;

  beforeAll(async () => {
    pty = await ptyPair();
    slave = await startPymodbus(
      { serial: pty.b },
      {
        2: imageFor(em24, { voltage_l1: 230 }),
        117: imageFor(sdm, { voltage_l1: 231 }),
        // Answers every id register with zeros, like a converter without a meter behind it.
        150: { hr: { 11: [0], 64514: [0], 35168: [0, 0] } },
        // Some other device: a model code no library entry knows.
        160: { hr: { 11: [4242] } },
      },
    );
  });
  afterAll(() => {
    slave?.stop();
    pty?.close();
  });

  it('finds both meters in a full 1-247 scan at 9600 8N1, a silent id costing well under 60 ms', async () => {
    const ticks: { t: number; p: ScanProgress<RtuPosition> }[] = [];
    const report = await scanRtu(
      library,
      { port: pty.a, bauds: [9600], parities: ['none'] },
      { onProgress: (p) => ticks.push({ t: performance.now(), p }) },
    );
    const byUnit = new Map(report.found.map((d) => [d.connection.unit, d]));
    expect([...byUnit.keys()].sort((a, b) => a - b)).toEqual([2, 117, 150, 160]);
    expect(byUnit.get(2)).toMatchObject({
      kind: 'meter',
      model: 'cg-em24-rs485',
      partNumber: 'EM24_DIN_AV9',
    });
    expect(byUnit.get(2)?.connection).toEqual({
      port: pty.a,
      baud: 9600,
      parity: 'none',
      stopBits: 1,
      unit: 2,
    });
    expect(byUnit.get(117)).toMatchObject({
      kind: 'meter',
      model: 'eastron-sdm630',
      variant: 'SDM630-Modbus (V1/V2)',
    });
    expect(byUnit.get(150)).toMatchObject({ kind: 'not-a-meter' });
    expect(byUnit.get(150)?.note).toMatch(/zeros/);
    expect(byUnit.get(160)).toMatchObject({ kind: 'unknown' });
    expect(byUnit.get(160)?.idRegisters[0]).toEqual({ fc: 3, register: 11, words: [4242] });
    expect(report.cancelled).toBe(false);
    // Every id asked once (a late answer would add a patient second probe).
    expect(report.probes).toBeGreaterThanOrEqual(247);

    // Cost of a silent id: time from its progress event to the next one.
    const found = new Set(byUnit.keys());
    const silent: number[] = [];
    for (let i = 0; i + 1 < ticks.length; i++) {
      const cur = ticks[i]!;
      if (!found.has(cur.p.current.unit) && cur.p.current.unit < 247) silent.push(ticks[i + 1]!.t - cur.t);
    }
    const mean = silent.reduce((a, b) => a + b, 0) / silent.length;
    const median = [...silent].sort((a, b) => a - b)[Math.floor(silent.length / 2)]!;
    console.info(
      `full RTU scan 1-247 at 9600 8N1 on a pty: ${(report.durationMs / 1000).toFixed(2)} s, ` +
        `silent id median ${median.toFixed(1)} ms, mean ${mean.toFixed(1)} ms, max ${Math.max(...silent).toFixed(1)} ms`,
    );
    expect(silent.length).toBeGreaterThan(200);
    // The median: a loaded test machine stretches a few timers, which says nothing about the scan.
    expect(median).toBeLessThan(60);
  }, 60_000);

  it('tries 9600 first, sends wake-up broadcasts at each rate, and lists a unit once', async () => {
    const wakeUps: string[] = [];
    const order: number[] = [];
    const report = await scanRtu(
      library,
      { port: pty.a, bauds: [19200, 9600], parities: ['none'], units: [1, 2, 3] },
      {
        onProgress: (p) => {
          if (order.at(-1) !== p.current.baud) order.push(p.current.baud);
        },
        onBus: (_key, bus: ModbusBus | null) => {
          bus?.monitor.on('frame', (f) => {
            if (f.note === 'broadcast') wakeUps.push(bus.endpoint);
          });
        },
      },
    );
    expect(order.slice(0, 2)).toEqual([9600, 19200]);
    expect(wakeUps.filter((e) => e.includes('@9600')).length).toBeGreaterThanOrEqual(1);
    expect(wakeUps.filter((e) => e.includes('@19200')).length).toBeGreaterThanOrEqual(1);
    // A pty ignores the baud rate, so the meter "answers" at 19200 too: it is still one meter.
    expect(report.found.map((d) => d.connection.unit)).toEqual([2]);
    expect(report.found[0]?.connection).toMatchObject({ baud: 9600 });
  });

  it('stops at once when cancelled and reports what it had', async () => {
    const ac = new AbortController();
    const started = Date.now();
    const report = await scanRtu(
      library,
      // Cancelling is the point here, not timing: patient probes, so a loaded machine's slow pymodbus
      // is still found in the first pass.
      {
        port: pty.a,
        bauds: [9600, 19200],
        parities: ['none', 'even'],
        marginMs: 100,
        replyStartMarginMs: 100,
      },
      {
        signal: ac.signal,
        onProgress: (p) => {
          if (p.current.unit === 20) ac.abort();
        },
      },
    );
    expect(report.cancelled).toBe(true);
    expect(report.found.map((d) => d.connection.unit)).toEqual([2]);
    expect(report.probes).toBeLessThanOrEqual(20);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('RTU scan on an emulated 9600-baud line: a slow meter answering after the probe gave up', () => {
  let line: Rs485Line;
  const sims: RunningBus[] = [];

  beforeAll(async () => {
    // The slow meter's end holds its replies back 90 ms on the wire, longer than a probe waits.
    line = await startRs485Line({ ends: [{}, {}, { delayMs: 90 }] });
    sims.push(
      await serveSerialBus(new SimulatedBus([new SimulatedMeter({ model: em24, unit: 1 })]), line.paths[1]!),
    );
    sims.push(
      await serveSerialBus(new SimulatedBus([new SimulatedMeter({ model: em340, unit: 5 })]), line.paths[2]!),
    );
  });
  afterAll(async () => {
    for (const s of sims) await s.stop();
    await line?.stop();
  });

  it('hears the late reply, asks that unit again patiently and identifies it', async () => {
    const report = await scanRtu(library, {
      port: line.paths[0]!,
      bauds: [9600],
      parities: ['none'],
      units: [1, 2, 3, 4, 5, 6, 7, 8],
    });
    expect(report.found.map((d) => [d.connection.unit, d.model])).toEqual([
      [1, 'cg-em24-rs485'],
      [5, 'cg-em340-et340'],
    ]);
    const slow = report.found[1]!;
    // Its 90 ms on the wire plus the request's and the reply's own character times at 9600.
    expect(slow.latencyMs).toBeGreaterThan(90 + 15);
    expect(slow.system).toBe('3P.N');
    expect(slow.serialNumber).toBe('SIM0000001');
  });
});
