import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { buildRtuFrame } from '../../src-main/protocol/modbus/rtu-frame.js';
import { startRs485Line, type LineEnd, type Rs485Line } from '../../src-main/sim/rs485-line.js';
import { charTimeMs, type Parity } from '../../src-main/transport/transport.js';
import { sleep } from '../helpers/peers.js';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

interface Setting {
  baud: number;
  parity: Parity;
}

interface OpenEnd {
  port: SerialPort;
  rx: { t: number; bytes: Buffer }[];
  received(): Buffer;
  write(b: Buffer): Promise<number>;
}

async function openEnd(path: string, s: Setting): Promise<OpenEnd> {
  const port = new SerialPort({ path, baudRate: s.baud, parity: s.parity, autoOpen: false, lock: false });
  const rx: OpenEnd['rx'] = [];
  port.on('data', (bytes: Buffer) => rx.push({ t: performance.now(), bytes }));
  await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
  cleanup.push(() => new Promise<void>((r) => (port.isOpen ? port.close(() => r()) : r())));
  return {
    port,
    rx,
    received: () => Buffer.concat(rx.map((r) => r.bytes)),
    write: (b) =>
      new Promise((res, rej) => {
        const t = performance.now();
        port.write(b, (e) => (e ? rej(e) : res(t)));
      }),
  };
}

async function line(ends: LineEnd[], extra: { flipRate?: number } = {}): Promise<Rs485Line> {
  const l = await startRs485Line({ ends, seed: 7, ...extra });
  cleanup.push(() => l.stop());
  return l;
}

async function waitBytes(end: OpenEnd, n: number, ms: number): Promise<void> {
  const until = performance.now() + ms;
  while (end.received().length < n && performance.now() < until) await sleep(5);
}

const char = (s: Setting): number =>
  charTimeMs({ baudRate: s.baud, parity: s.parity, dataBits: 8, stopBits: 1 });

describe('emulated RS485 line: byte timing', () => {
  // Long bursts, so the machine's scheduling jitter (a few ms) stays well under 10 % of the burst.
  for (const [baud, n] of [
    [9600, 200],
    [115200, 2000],
  ] as const) {
    it(`delivers bytes one character time apart at ${baud} baud (within 10 %)`, async () => {
      const s: Setting = { baud, parity: 'none' };
      const l = await line([{}, {}]);
      const a = await openEnd(l.paths[0]!, s);
      const b = await openEnd(l.paths[1]!, s);
      const data = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + 11) & 0xff));
      const ct = char(s);
      const paces: number[] = [];
      // Up to three bursts: a stall of this shared machine only ever makes bytes late, and one burst
      // free of it shows the emulator's own pace. Every burst must be complete and never early.
      for (let burst = 0; burst < 3; burst++) {
        b.rx.length = 0;
        const sent = await a.write(data);
        await waitBytes(b, n, 5000);
        expect(b.received().equals(data)).toBe(true);
        const perByte = b.rx.flatMap((r) => Array<number>(r.bytes.length).fill(r.t));
        // No byte arrives before its own character time has passed on the wire.
        expect(perByte.filter((t, k) => t - sent < (k + 1) * ct * 0.95)).toEqual([]);
        // The pace: the median slope over pairs of bytes half a burst apart (robust to a short stall).
        const half = Math.floor(n / 2);
        const slopes = perByte.slice(0, n - half).map((t, k) => (perByte[k + half]! - t) / half);
        paces.push([...slopes].sort((x, y) => x - y)[Math.floor(slopes.length / 2)]!);
        console.info(
          `line at ${baud}: first byte after ${(perByte[0]! - sent).toFixed(2)} ms, ` +
            `${(paces.at(-1)! * 1000).toFixed(1)} µs per byte for a character time of ${(ct * 1000).toFixed(1)} µs`,
        );
        if (Math.abs(paces.at(-1)! - ct) / ct < 0.1) break;
      }
      const best = Math.min(...paces.map((p) => Math.abs(p - ct) / ct));
      expect(best).toBeLessThan(0.1);
      const stats = await l.stats();
      expect(stats.ends[0]).toMatchObject({ sent: n * paces.length, baud });
      expect(stats.ends[1]).toMatchObject({ delivered: n * paces.length, rxErrors: 0 });
      expect(stats.wireMs).toBeCloseTo(n * paces.length * ct, 0);
    });
  }
});

const FRAMES = [
  buildRtuFrame(1, Buffer.from([3, 0, 0, 0, 10])),
  buildRtuFrame(17, Buffer.from([3, 20, ...Array.from({ length: 20 }, (_, i) => i * 13)])),
  buildRtuFrame(200, Buffer.from([16, 0x10, 0x00, 0, 2, 4, 0x12, 0x34, 0xab, 0xcd])),
];

const contains = (hay: Buffer, needle: Buffer): boolean => hay.indexOf(needle) >= 0;

describe('emulated RS485 line: mismatched settings', () => {
  const settings: Setting[] = [
    { baud: 4800, parity: 'none' },
    { baud: 9600, parity: 'none' },
    { baud: 9600, parity: 'even' },
    { baud: 9600, parity: 'odd' },
    { baud: 19200, parity: 'none' },
    { baud: 38400, parity: 'even' },
    { baud: 115200, parity: 'none' },
  ];
  for (const sender of [settings[1]!, settings[2]!, settings[4]!, settings[6]!]) {
    it(`a sender at ${sender.baud} ${sender.parity}: only the receiver with the same settings gets a frame`, async () => {
      const receivers = settings.filter((s) => s !== sender);
      const ends: LineEnd[] = [sender, ...receivers].map((s) => ({ parity: s.parity }));
      const l = await line(ends);
      const tx = await openEnd(l.paths[0]!, sender);
      const rx = await Promise.all(receivers.map((s, i) => openEnd(l.paths[i + 1]!, s)));
      for (const f of FRAMES) {
        await tx.write(f);
        await sleep(f.length * char(sender) + 15);
      }
      await sleep(30);
      for (const [i, s] of receivers.entries()) {
        const got = rx[i]!.received();
        const clean = FRAMES.filter((f) => contains(got, f)).length;
        expect(clean, `${s.baud} ${s.parity} received ${got.toString('hex')}`).toBe(0);
      }
      const stats = await l.stats();
      expect(stats.ends[0]!.sent).toBe(FRAMES.reduce((n, f) => n + f.length, 0));
    });
  }

  it('the same settings on both ends deliver every frame clean (so the checks above can fail)', async () => {
    const s: Setting = { baud: 19200, parity: 'even' };
    const l = await line([{ parity: 'even' }, { parity: 'even' }, { parity: 'none' }]);
    const tx = await openEnd(l.paths[0]!, s);
    const rx = await openEnd(l.paths[1]!, s);
    // 8E1 read as 8N1: the stop bit is sampled on the parity bit, so bytes with parity 0 are lost.
    const plain = await openEnd(l.paths[2]!, { baud: 19200, parity: 'none' });
    for (const f of FRAMES) {
      await tx.write(f);
      await sleep(f.length * char(s) + 10);
    }
    await waitBytes(
      rx,
      FRAMES.reduce((n, f) => n + f.length, 0),
      1000,
    );
    expect(rx.received().equals(Buffer.concat(FRAMES))).toBe(true);
    expect(FRAMES.filter((f) => contains(plain.received(), f))).toEqual([]);
    expect(plain.received().length).toBeGreaterThan(0);
  });
});

describe('emulated RS485 line: collisions, lost and flipped bits, turnaround', () => {
  it('two ends talking at once garble what a third receives, and the collision is counted', async () => {
    const s: Setting = { baud: 38400, parity: 'none' };
    const l = await line([{}, {}, {}]);
    const [a, b, c] = await Promise.all(l.paths.map((p) => openEnd(p, s)));
    await Promise.all([a!.write(FRAMES[1]!), b!.write(FRAMES[2]!)]);
    await sleep(40);
    const got = c!.received();
    expect(contains(got, FRAMES[1]!) || contains(got, FRAMES[2]!)).toBe(false);
    expect((await l.stats()).collisions).toBeGreaterThan(0);
  });

  it('flipped bits never leave a frame intact', async () => {
    const s: Setting = { baud: 115200, parity: 'none' };
    const l = await line([{}, {}], { flipRate: 1 });
    const [a, b] = await Promise.all(l.paths.map((p) => openEnd(p, s)));
    await a!.write(FRAMES[1]!);
    await sleep(40);
    expect(contains(b!.received(), FRAMES[1]!)).toBe(false);
    const stats = await l.stats();
    expect(stats.ends[0]!.flipped).toBe(FRAMES[1]!.length);
  });

  it('a turnaround delay holds everything an end sends back by that long', async () => {
    const s: Setting = { baud: 115200, parity: 'none' };
    const l = await line([{}, { delayMs: 40 }]);
    const [a, b] = await Promise.all(l.paths.map((p) => openEnd(p, s)));
    const sent = await b!.write(FRAMES[0]!);
    await waitBytes(a!, FRAMES[0]!.length, 1000);
    expect(a!.received().equals(FRAMES[0]!)).toBe(true);
    expect(a!.rx[0]!.t - sent).toBeGreaterThanOrEqual(40);
  });
});
