import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rollupRange } from '../../src-main/store/rollup.js';
import { Store } from '../../src-main/store/store.js';
import { runCli } from '../helpers/cli.js';
import { gauges, plainDevice } from '../helpers/plain-device.js';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Another process — a running `serve`, say — takes the database's write lock, writes, holds the lock
 * for `holdMs` and commits. Resolves once the lock is held; `released` once that process committed.
 */
function holdWriteLock(file: string, holdMs: number): Promise<{ released: Promise<number> }> {
  const code = `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(file)});
    db.pragma('journal_mode = WAL');
    db.exec('BEGIN IMMEDIATE');
    db.exec('CREATE TABLE IF NOT EXISTS lock_probe (x)');
    db.prepare('INSERT INTO lock_probe VALUES (1)').run();
    process.stdout.write('held\\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${holdMs});
    db.exec('COMMIT');
    process.stdout.write('committed ' + Date.now() + '\\n');
    db.close();
  `;
  const p = spawn(process.execPath, ['-e', code], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  p.stderr.on('data', (d: Buffer) => (err += d.toString()));
  p.stdout.on('data', (d: Buffer) => (out += d.toString()));
  // The time of the commit, as the holder saw it (not its exit, which comes later).
  const released = new Promise<number>((done, fail) =>
    p.on('close', (c) => {
      const at = /committed (\d+)/.exec(out)?.[1];
      if (c === 0 && at) done(Number(at));
      else fail(new Error(`lock holder exited ${c}: ${err}`));
    }),
  );
  return new Promise((done, fail) => {
    p.stdout.on('data', () => {
      if (out.includes('held')) done({ released });
    });
    released.catch(fail);
  });
}

const tmp = (): string => join(mkdtempSync(join(tmpdir(), 'ems-lock-')), 'ems.db');

/** Writers wait for another process's write lock instead of failing with "database is locked". */
describe('the write lock shared with other processes', () => {
  let store: Store | undefined;
  afterEach(() => store?.close());

  it('a roll-up, which reads before it writes, waits for a lock another process holds', async () => {
    const file = tmp();
    store = new Store({ file });
    const uid = store.config.addDevice(plainDevice('lock', gauges(1))).loads[0]!.signals[0]!.uid;
    const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
    for (let i = 0; i < 180; i++) store.raw.insert(uid, t0 + i * 10_000, i);

    const { released } = await holdWriteLock(file, 400);
    // A deferred transaction would hold a read snapshot when it asks for the lock, and SQLite fails
    // such a request at once rather than let it wait.
    const periods = rollupRange(store.db, store.raw, t0, t0 + 1_800_000, [uid]);
    const done = Date.now();
    expect(periods).toBe(30);
    expect(done).toBeGreaterThanOrEqual(await released);
    expect(store.samples.latestHistory(uid)?.v).toBe(176.5);
  });

  it('`samples import` waits for a running server’s commit longer than the server itself would', async () => {
    const file = tmp();
    store = new Store({ file });
    const uid = store.config.addDevice(plainDevice('lock', gauges(1))).loads[0]!.signals[0]!.uid;
    store.close();
    store = undefined;
    const csv = join(resolve(file, '..'), 'in.csv');
    const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
    const rows = Array.from({ length: 120 }, (_, i) => `${uid},${t0 + i * 10_000},${i}`);
    writeFileSync(csv, `signal_uid,t_ms,value\n${rows.join('\n')}\n`);

    // Held well past the command's start-up and the engine's own 250 ms wait.
    const { released } = await holdWriteLock(file, 2_500);
    const r = await runCli(['samples', 'import', csv, '--db', file]);
    const done = Date.now();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/imported 120 samples, 20 history period/);
    expect(done).toBeGreaterThan(await released);
    store = new Store({ file });
    expect([...store.raw.points(uid, t0, t0 + 1_200_000)]).toHaveLength(120);
  });

  it('processes opening a new database at the same moment migrate it once between them', async () => {
    const file = tmp();
    // Each reads the schema version while the lock is held, then migrates in turn once it is free.
    const { released } = await holdWriteLock(file, 1_500);
    const runs = await Promise.all([1, 2, 3].map(() => runCli(['list', '--db', file])));
    await released;
    for (const r of runs) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/No devices configured/);
    }
    store = new Store({ file });
    expect(store.config.tree()).toEqual([]);
  });
});
