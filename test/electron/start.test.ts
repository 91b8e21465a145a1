import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDesktopRuntime } from '../../src-main/electron/start.js';
import { readSavedSettings, saveSettings } from '../../src-main/ipc/settings-store.js';
import type { Runtime } from '../../src-main/runtime.js';
import { Store } from '../../src-main/store/store.js';

/** A database as the UI leaves it: these settings saved, the demo plant switched off. */
function prepare(file: string, port: number, days: number): void {
  const s = new Store({ file });
  try {
    saveSettings(s.meta, { api: { host: '127.0.0.1', port }, rawRetentionDays: days });
    s.meta.set('demo_devices', '{}');
  } finally {
    s.close();
  }
}

function listenAnywhere(): Promise<{ server: Server; port: number }> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      done({ server, port: typeof a === 'object' && a ? a.port : 0 });
    });
  });
}

const portOf = (url: string | undefined): number => Number(new URL(url ?? 'http://x:0').port);

describe('startDesktopRuntime (the desktop app’s engine, in plain Node)', () => {
  let dir: string;
  let rt: Runtime | undefined;
  const saved = process.env.EMS_API_PORT;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ems-desktop-'));
    delete process.env.EMS_API_PORT;
  });
  afterEach(async () => {
    await rt?.close();
    rt = undefined;
    if (saved === undefined) delete process.env.EMS_API_PORT;
    else process.env.EMS_API_PORT = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies the API port and raw retention saved in the UI', async () => {
    const { server, port } = await listenAnywhere();
    await new Promise<void>((r) => server.close(() => r())); // a port known to be free just now
    const db = join(dir, 'ems.db');
    prepare(db, port, 3);
    rt = await startDesktopRuntime(db);
    expect(portOf(rt.url)).toBe(port);
    expect(rt.engine.store.rawRetentionMs).toBe(3 * 86_400_000);
    expect(rt.demo).toBeUndefined();
    const res = await fetch(`${rt.url}/ver`);
    expect(res.status).toBe(200);
  });

  it('opens anyway when another program holds the saved port: the API takes a free one', async () => {
    const { server, port } = await listenAnywhere();
    try {
      const db = join(dir, 'ems.db');
      prepare(db, port, 7);
      rt = await startDesktopRuntime(db);
      const actual = portOf(rt.url);
      expect(actual).toBeGreaterThan(0);
      expect(actual).not.toBe(port);
      expect((await fetch(`${rt.url}/ver`)).status).toBe(200);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('EMS_API_PORT overrides the saved port (the launch test uses 0)', async () => {
    const db = join(dir, 'ems.db');
    prepare(db, 1, 7); // port 1 would need privileges: it must not be used
    process.env.EMS_API_PORT = '0';
    rt = await startDesktopRuntime(db);
    expect(portOf(rt.url)).toBeGreaterThan(1024);
  });

  it('damaged saved settings: the app still opens, with the defaults, and says which value was bad', async () => {
    const db = join(dir, 'ems.db');
    const s = new Store({ file: db });
    try {
      s.meta.set('settings.api', '{"host":"127.0.0.1","port":"eighty"');
      s.meta.set('settings.raw_retention_days', '-3');
      s.meta.set('demo_devices', '{}');
      const warnings: string[] = [];
      expect(readSavedSettings(s.meta, (w) => warnings.push(w))).toEqual({
        api: { host: '127.0.0.1', port: 8080 },
        rawRetentionDays: 7,
      });
      expect(warnings).toEqual([
        'saved API address is damaged; using 127.0.0.1:8080',
        'saved raw-sample retention is damaged; using 7 days',
      ]);
    } finally {
      s.close();
    }
    process.env.EMS_API_PORT = '0';
    rt = await startDesktopRuntime(db);
    expect(rt.engine.store.rawRetentionMs).toBe(7 * 86_400_000);
    expect((await fetch(`${rt.url}/ver`)).status).toBe(200);
  });

  it('nothing saved yet: defaults without a warning', () => {
    const s = new Store({ file: join(dir, 'fresh.db') });
    try {
      const warnings: string[] = [];
      expect(readSavedSettings(s.meta, (w) => warnings.push(w))).toEqual({
        api: { host: '127.0.0.1', port: 8080 },
        rawRetentionDays: 7,
      });
      expect(warnings).toEqual([]);
    } finally {
      s.close();
    }
  });
});
