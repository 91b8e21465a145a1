import { describe, expect, it } from 'vitest';
import { MAX_KEPT_BYTES } from '../../src-main/bus/frame-ring.js';
import { BusMonitor, type MonitorFrame } from '../../src-main/bus/monitor.js';

const bytes = (...b: number[]): Buffer => Buffer.from(b);

describe('bus monitor ring', () => {
  it('gives back every field of a frame as recorded, oldest first, and only newer ones after a seq', () => {
    const m = new BusMonitor('tcp:127.0.0.1:502', 10);
    m.record({ dir: 'tx', bytes: bytes(1, 3, 0, 0, 0, 2, 0xc4, 0x0b), unit: 1, fc: 3 });
    m.record({
      dir: 'rx',
      bytes: bytes(1, 0x83, 2, 0xc0, 0xf1),
      unit: 1,
      fc: 0x83,
      outcome: 'exception',
      exceptionCode: 2,
      durationMs: 12.5,
      note: 'function differs from request',
    });
    m.record({ dir: 'none', bytes: new Uint8Array(0), unit: 7, fc: 4, outcome: 'timeout', durationMs: 0 });
    const all = m.frames();
    expect(all.map((f) => f.seq)).toEqual([1, 2, 3]);
    expect(all[0]).toEqual({
      seq: 1,
      t: all[0]!.t,
      bus: 'tcp:127.0.0.1:502',
      dir: 'tx',
      hex: '010300000002c40b',
      unit: 1,
      fc: 3,
    });
    expect(all[1]).toMatchObject({
      dir: 'rx',
      hex: '018302c0f1',
      outcome: 'exception',
      exceptionCode: 2,
      durationMs: 12.5,
      note: 'function differs from request',
    });
    expect(all[2]).toEqual({
      seq: 3,
      t: all[2]!.t,
      bus: 'tcp:127.0.0.1:502',
      dir: 'none',
      hex: '',
      unit: 7,
      fc: 4,
      outcome: 'timeout',
      durationMs: 0,
    });
    expect(Math.abs(all[0]!.t - Date.now())).toBeLessThan(60_000);
    expect(m.frames(2).map((f) => f.seq)).toEqual([3]);
    expect(m.frames(3)).toEqual([]);
    expect(m.lastSeq).toBe(3);
  });

  it('dates a frame recorded at a monotonic time on the wall clock, to the millisecond', async () => {
    const m = new BusMonitor('tcp:127.0.0.1:502', 10);
    const before = Date.now();
    m.record({ dir: 'tx', bytes: bytes(1), unit: 1, fc: 3 }, performance.now());
    await new Promise((r) => setTimeout(r, 30));
    // A reading taken earlier than the record call lands that much earlier on the wall clock.
    const earlier = performance.now() - 20;
    m.record({ dir: 'rx', bytes: bytes(2), unit: 1, fc: 3 }, earlier);
    const after = Date.now();
    const [tx, rx] = m.frames();
    expect(tx!.t).toBeGreaterThanOrEqual(before - 2);
    expect(tx!.t).toBeLessThanOrEqual(before + 5);
    expect(rx!.t).toBeGreaterThanOrEqual(after - 20 - 5);
    expect(rx!.t).toBeLessThanOrEqual(after - 20 + 2);
  });

  it('keeps the last `capacity` frames once full, and hands listeners the same frame it keeps', () => {
    const m = new BusMonitor('rtu:/dev/x', 4);
    const heard: MonitorFrame[] = [];
    m.on('frame', (f) => heard.push(f));
    for (let i = 0; i < 11; i++) m.record({ dir: 'tx', bytes: bytes(i, i + 1), unit: i, fc: 3 });
    const kept = m.frames();
    expect(kept.map((f) => f.seq)).toEqual([8, 9, 10, 11]);
    expect(kept.map((f) => f.hex)).toEqual(['0708', '0809', '090a', '0a0b']);
    expect(heard).toHaveLength(11);
    expect(heard.slice(-4)).toEqual(kept);
    expect(m.frames(9).map((f) => f.unit)).toEqual([9, 10]);
  });

  it('hands frames to listeners only while they listen: on, once, off', () => {
    const m = new BusMonitor('rtu:/dev/x', 8);
    const all: number[] = [];
    const first: number[] = [];
    const listener = (f: MonitorFrame): number => all.push(f.seq);
    m.on('frame', listener);
    m.once('frame', (f) => first.push(f.seq));
    for (let i = 0; i < 3; i++) m.record({ dir: 'tx', bytes: bytes(i), unit: 1, fc: 3 });
    m.off('frame', listener);
    m.record({ dir: 'tx', bytes: bytes(9), unit: 1, fc: 3 });
    expect(all).toEqual([1, 2, 3]);
    expect(first).toEqual([1]);
    expect(m.listenerCount('frame')).toBe(0);
    // Listening again after none did.
    m.on('frame', listener);
    m.record({ dir: 'tx', bytes: bytes(10), unit: 1, fc: 3 });
    expect(all).toEqual([1, 2, 3, 5]);
    expect(m.frames()).toHaveLength(5);
    // Removing every listener leaves the monitor able to count the next ones.
    m.removeAllListeners();
    m.record({ dir: 'tx', bytes: bytes(11), unit: 1, fc: 3 });
    m.on('frame', listener);
    m.record({ dir: 'tx', bytes: bytes(12), unit: 1, fc: 3 });
    expect(all).toEqual([1, 2, 3, 5, 7]);
  });

  it('drops the oldest frames when their bytes were overwritten, and reads frames that wrap the arena', () => {
    // 2000 slots but only 64 × 2000 bytes: frames of 250 bytes leave room for 512 of them.
    const m = new BusMonitor('tcp:x', 2000);
    const frame = (i: number): Buffer => Buffer.alloc(250, i % 256);
    for (let i = 0; i < 1500; i++) m.record({ dir: 'rx', bytes: frame(i), unit: 1, fc: 3 });
    const kept = m.frames();
    expect(kept.length).toBeGreaterThan(500);
    expect(kept.length).toBeLessThan(513);
    expect(kept.at(-1)!.seq).toBe(1500);
    // Each kept frame holds its own bytes, also those split across the arena's end.
    for (const f of kept) expect(f.hex).toBe(frame(f.seq - 1).toString('hex'));
    expect(kept.map((f) => f.seq)).toEqual(kept.map((_, k) => kept[0]!.seq + k));
  });

  it('keeps the first bytes of a very long run of line noise and says so', () => {
    const m = new BusMonitor('rtu:/dev/x', 8);
    const heard: MonitorFrame[] = [];
    m.on('frame', (f) => heard.push(f));
    const noise = Buffer.alloc(3000, 0xaa);
    m.record({ dir: 'rx', bytes: noise, unit: 2, fc: 0, outcome: 'garbage' });
    const [f] = m.frames();
    expect(f!.hex).toBe('aa'.repeat(MAX_KEPT_BYTES));
    expect(f!.note).toBe(`3000 bytes, the first ${MAX_KEPT_BYTES} kept`);
    expect(heard[0]!.hex).toBe(noise.toString('hex'));
  });

  it('a held reply row is stored before anything that reads or records, with its time and its accounting', () => {
    const reply = bytes(1, 3, 2, 0, 7, 0xf9, 0x86);
    // What each reader sees at once, before any other reader could have stored the row.
    const readers: [string, (m: BusMonitor) => unknown, unknown][] = [
      ['frames', (m) => m.frames().map((f) => f.dir), ['tx', 'rx']],
      ['lastSeq', (m) => m.lastSeq, 2],
      ['stats', (m) => m.stats.get(1)?.requests, 1],
      ['the next request', (m) => m.record({ dir: 'tx', bytes: bytes(1, 3), unit: 1, fc: 3 }), undefined],
    ];
    for (const [name, read, sees] of readers) {
      const m = new BusMonitor('rtu:/dev/x', 8);
      m.record({ dir: 'tx', bytes: bytes(1, 3, 0, 0, 0, 1), unit: 1, fc: 3 });
      const at = performance.now() - 50;
      m.hold(reply, 1, 3, 4.2, at);
      expect(m.holdOk(4.25), name).toBe(true);
      expect(read(m), name).toEqual(sees);
      const [tx, rx, next] = m.frames();
      expect(tx?.dir, name).toBe('tx');
      expect(rx, name).toMatchObject({
        seq: 2,
        dir: 'rx',
        hex: reply.toString('hex'),
        outcome: 'ok',
        durationMs: 4.2,
      });
      expect(Math.abs(rx!.t - (Date.now() - 50)), name).toBeLessThan(10);
      if (next) expect(next.seq, name).toBe(3);
      expect(m.stats.get(1), name).toMatchObject({ requests: 1, errors: 0, meanMs: 4.25, maxMs: 4.25 });
    }
  });

  it('a held row is stored once, and a transaction that ends otherwise is accounted by its caller', () => {
    const m = new BusMonitor('rtu:/dev/x', 8);
    m.hold(bytes(1, 3, 2, 0, 7), 1, 3, 1, performance.now());
    expect(m.frames()).toHaveLength(1);
    expect(m.frames()).toHaveLength(1);
    // Released before the transaction ended: nothing is held to account it with.
    expect(m.holdOk(1)).toBe(false);
    expect(m.stats.get(1)).toBeUndefined();
    // A row held and then followed by an error account: the row, then the error alone.
    m.hold(bytes(1, 3, 2, 0, 8), 1, 3, 1, performance.now());
    m.account(1, 'malformed', 1);
    expect(m.frames().map((f) => f.outcome)).toEqual(['ok', 'ok']);
    expect(m.stats.get(1)).toMatchObject({ requests: 1, errors: 1 });
  });

  it('a listener hears a reply at once: nothing is held while one listens', () => {
    const m = new BusMonitor('rtu:/dev/x', 8);
    const heard: MonitorFrame[] = [];
    m.on('frame', (f) => heard.push(f));
    m.hold(bytes(1, 3, 2, 0, 7), 1, 3, 2, performance.now());
    expect(heard.map((f) => f.outcome)).toEqual(['ok']);
    expect(m.holdOk(2)).toBe(false);
  });
});
