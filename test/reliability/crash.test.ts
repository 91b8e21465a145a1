import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src-main/store/store.js';

const CHILD = resolve(import.meta.dirname, 'crash-child.ts');
// tsx as a loader inside ONE node process: its cli.mjs would start the script in a second process,
// and a SIGKILL to the first would leave that one writing on after the test looked at the database.
const TSX_LOADER = ['--import', 'tsx'];

/** Runs the child until it has committed `atLeast`, then SIGKILLs it mid-write; returns the last commit it announced. */
function runAndKill(
  file: string,
  mode: 'ingest' | 'config',
  atLeast: number,
  extraMs: number,
): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...TSX_LOADER, CHILD, file, mode], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let last = 0;
    let err = '';
    let killing = false;
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      for (const m of d.toString().matchAll(/committed (\d+)/g)) last = Number(m[1]);
      if (last >= atLeast && !killing) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), extraMs);
      }
    });
    // 'close', not 'exit': only then has every line the child wrote been read, so none goes uncounted.
    child.on('close', (_code, signal) =>
      signal === 'SIGKILL' ? done(last) : fail(new Error(`child ended by itself: ${err}`)),
    );
  });
}

describe('crash safety', () => {
  it('SIGKILL during ingest: the database opens cleanly and lost at most the last batch', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ems-crash-')), 'ems.db');
    const announced = await runAndKill(file, 'ingest', 2000, 137);
    const db = new Database(file);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const rows = db.prepare('SELECT count(*) FROM samples').pluck().get() as number;
    db.close();
    // Everything announced as committed is there; at most the batch in flight (250 samples) beyond it.
    expect(rows).toBeGreaterThanOrEqual(announced);
    expect(rows - announced).toBeLessThanOrEqual(250);
    // The engine's own store opens it (migrations, WAL recovery) and keeps working.
    const store = new Store({ file });
    expect(store.samples.realtime().length).toBe(50);
    store.close();
  });

  it('SIGKILL during configuration changes: every device is complete or absent', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ems-crash-')), 'ems.db');
    const announced = await runAndKill(file, 'config', 20, 53);
    const store = new Store({ file });
    const devices = store.config.tree();
    expect(devices.length).toBeGreaterThanOrEqual(announced);
    for (const d of devices) {
      expect(d.loads.map((l) => l.signals.length)).toEqual([25, 25]);
    }
    store.close();
  });
});
