import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src-main/store/store.js';
import { plainDevice } from '../helpers/plain-device.js';

function storeWithSignal(): { store: Store; uid: number; file: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'ems-fault-')), 'ems.db');
  const store = new Store({ file });
  const tree = store.config.addDevice(
    plainDevice('f', [{ key: 'voltage', si: 29, kind: 'gauge', type: 'float', unit: 'V' }]),
  );
  return { store, uid: tree.loads[0]!.signals[0]!.uid, file };
}

const count = (store: Store): number =>
  store.db.prepare('SELECT count(*) FROM samples').pluck().get() as number;

describe('store faults', () => {
  it('database locked by another process: the batch is kept, reported, and written once the lock is gone', async () => {
    const { store, uid, file } = storeWithSignal();
    const locker = spawn(
      process.execPath,
      [
        '-e',
        `const D=require('better-sqlite3');const db=new D(${JSON.stringify(file)});db.exec('BEGIN EXCLUSIVE');` +
          `console.log('locked');process.stdin.once('data',()=>{db.exec('COMMIT');db.close();process.exit(0)});`,
      ],
      { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit'] },
    );
    await new Promise<void>((r) => locker.stdout.once('data', () => r()));
    store.samples.ingest([{ uid, t: 1000, v: 230, s: 1 }]);
    expect(() => store.samples.flush(2000)).toThrow(/locked|busy/i);
    expect(store.samples.stats.lastError).toMatch(/locked|busy/i);
    store.samples.ingest([{ uid, t: 2000, v: 231, s: 1 }]);
    expect(store.samples.pendingCount).toBe(2);
    locker.stdin.write('go\n');
    await new Promise((r) => locker.once('exit', r));
    expect(store.samples.flush(3000)).toBe(2);
    expect(store.samples.stats.lastError).toBeNull();
    expect(count(store)).toBe(2);
    store.close();
  });

  it('disk full: writes fail with SQLITE_FULL, nothing is lost, and they resume when space returns', () => {
    const { store, uid } = storeWithSignal();
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    // max_page_count is how SQLite itself sees a full disk: every write past it fails with SQLITE_FULL.
    store.db.pragma(`max_page_count = ${pages + 2}`);
    let failedAt = -1;
    for (let batch = 0; batch < 200 && failedAt < 0; batch++) {
      store.samples.ingest(
        Array.from({ length: 100 }, (_, i) => ({ uid, t: batch * 1000 + i, v: i, s: 1 as const })),
      );
      try {
        store.samples.flush(batch * 1000 + 999);
      } catch (e) {
        expect((e as Error).message).toMatch(/full/i);
        failedAt = batch;
      }
    }
    expect(failedAt).toBeGreaterThanOrEqual(0);
    expect(store.samples.stats.lastError).toMatch(/full/i);
    const written = count(store);
    expect(store.samples.pendingCount).toBe((failedAt + 1) * 100 - written);
    store.db.pragma('max_page_count = 1073741823');
    store.samples.flush((failedAt + 1) * 1000);
    expect(count(store)).toBe((failedAt + 1) * 100);
    store.close();
  });
});
