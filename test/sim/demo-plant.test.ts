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
