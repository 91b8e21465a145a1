import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startRuntime } from '../../src-main/runtime.js';

describe('demo plant as the embedded default', () => {
  it('starts when nothing is configured, keeps its devices across restarts, and stays off once switched off', async () => {
    const dbFile = join(mkdtempSync(join(tmpdir(), 'ems-demo-')), 'ems.db');
    const first = await startRuntime({ dbFile, api: false, demo: 'if-empty' });
    const uids = first.engine.store.config.devices().map((d) => d.uid);
    expect(first.demo).toBeDefined();
    expect(uids.length).toBeGreaterThanOrEqual(2);
    await first.close();

    const second = await startRuntime({ dbFile, api: false, demo: 'if-empty' });
    expect(second.demo).toBeDefined();
    expect(second.engine.store.config.devices().map((d) => d.uid)).toEqual(uids);
    // Switched off: the demo devices go and the stored plant is empty.
    for (const uid of uids) second.engine.removeDevice(uid);
    second.engine.store.meta.set('demo_devices', '{}');
    await second.close();

    const third = await startRuntime({ dbFile, api: false, demo: 'if-empty' });
    expect(third.demo).toBeUndefined();
    expect(third.engine.store.config.devices()).toEqual([]);
    await third.close();
  });
});

describe('demo plant RS485 meter', () => {
  it('sits on an emulated 9600-baud line: the bus monitor shows the wire time of each exchange', async () => {
    const dbFile = join(mkdtempSync(join(tmpdir(), 'ems-demo-')), 'ems.db');
    const rt = await startRuntime({ dbFile, api: false, demo: 'if-empty' });
    try {
      const key = rt.engine.busList().find((b) => b.key.startsWith('serial:'))?.key;
      expect(key).toBeDefined();
      const deadline = Date.now() + 10_000;
      const replies = () => rt.engine.busFrames(key!).filter((f) => f.dir === 'rx' && f.outcome === 'ok');
      while (replies().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const reply = replies()[0]!;
      // Request (8 bytes) and this reply, one character time (1.04 ms at 9600 8N1) per byte.
      const wireMs = (8 + reply.hex.length / 2) * (10 / 9.6);
      expect(reply.durationMs).toBeGreaterThanOrEqual(wireMs * 0.95);
    } finally {
      await rt.close();
    }
  });
});
