import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SAMPLE_BLOCKS_MIGRATION } from '../../src-main/store/migration-005-sample-blocks.js';
import { MIGRATIONS, migrate } from '../../src-main/store/migrations.js';
import { Store } from '../../src-main/store/store.js';

const CHILD = resolve(import.meta.dirname, 'convert-child.ts');
/** Two days old, so every row is due for a block at once. */
const T0 = Math.floor((Date.now() - 2 * 86_400_000) / 1000) * 1000;
const N = 6000;
const SIGNALS = 30;
const TEXT_UIDS = [501, 502];
const LIVE = 900;
const LIVE_T0 = Date.now() - 60_000;
/** Values of every kind a meter gives: decimals, a counter, a flag, float32 noise, extremes (not -0:
 * a REAL column keeps it as the integer 0, so the row layout never held it). */
const value = (uid: number, i: number): number =>
  [
    Math.round(2300 + ((i * 7919 + uid) % 31) - 15) / 10,
    Math.round(123_456_789 + i * 3.7 + uid) / 1000,
    Math.floor(i / (300 + uid)) % 2,
    Math.fround(Math.sin(i / 50 + uid) * 1000),
    [1e300, -1e-300, 2 ** 52, 5e-324, -123.456789012345][(i + uid) % 5]!,
  ][uid % 5]!;
const text = (uid: number, i: number): string => (i % 900 < 600 ? 'Normal' : `Alarm ${uid}/${i} ✓`);
const time = (uid: number, i: number): number => T0 + i * 1000 + ((i * uid) % 13);

function oldDatabase(file: string): void {
  const db = new Database(file);
  migrate(
    db,
    MIGRATIONS.filter((m) => m.version < SAMPLE_BLOCKS_MIGRATION.version),
  );
  const ins = db.prepare('INSERT INTO samples (uid, t, v) VALUES (?, ?, ?)');
  const insText = db.prepare('INSERT INTO samples_text (uid, t, v) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (let uid = 1; uid <= SIGNALS; uid++)
      for (let i = 0; i < N; i++) ins.run(uid, time(uid, i), value(uid, i));
    for (const uid of TEXT_UIDS) for (let i = 0; i < N / 2; i++) insText.run(uid, time(uid, i), text(uid, i));
  })();
  db.close();
}

/** Every stored sample, compared value for value (Object.is: -0 stays -0). */
function expectEverySample(store: Store): void {
  const end = T0 + N * 1000 + 60_000;
  for (let uid = 1; uid <= SIGNALS; uid++) {
    const got = [...store.raw.points(uid, 0, end)];
    expect(got.length, `signal ${uid}`).toBe(N);
    got.forEach((p, i) => {
      if (p.t !== time(uid, i) || !Object.is(p.v, value(uid, i)))
        expect({ uid, i, ...p }).toEqual({ uid, i, t: time(uid, i), v: value(uid, i) });
    });
  }
  for (const uid of TEXT_UIDS)
    expect([...store.raw.texts(uid, 0, end)]).toEqual(
      Array.from({ length: N / 2 }, (_, i) => ({ t: time(uid, i), v: text(uid, i) })),
    );
}

/** Runs the child until a quarter of the blocks are written, SIGKILLs it; returns what it announced. */
function runAndKill(file: string, blocksAtLeast: number): Promise<{ live: number; blocks: number }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, String(LIVE), String(LIVE_T0)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const last = { live: 0, blocks: 0 };
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      for (const m of d.toString().matchAll(/committed live (\d+) blocks (\d+)/g)) {
        last.live = Number(m[1]);
        last.blocks = Number(m[2]);
      }
      // No delay: the child is inside its next flush (a live batch, then a slice of blocks) now.
      if (last.blocks >= blocksAtLeast) child.kill('SIGKILL');
    });
    child.on('close', (_code, signal) =>
      signal === 'SIGKILL' ? done(last) : fail(new Error(`child ended by itself: ${err}`)),
    );
  });
}

describe('SIGKILL while converting a database from before blocks', () => {
  it('reopens cleanly, answers every sample, then finishes the conversion with every sample intact', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ems-convert-crash-')), 'ems.db');
    oldDatabase(file);
    const total = SIGNALS * 10 + TEXT_UIDS.length * 5; // 6,000 → 10 blocks of 600; 3,000 texts → 5
    const announced = await runAndKill(file, total / 4);

    const db = new Database(file);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const blocks = db.prepare('SELECT count(*) FROM sample_blocks').pluck().get() as number;
    const oldRows = db.prepare('SELECT count(*) FROM samples WHERE uid <= ?').pluck().get(SIGNALS) as number;
    const live = db.prepare('SELECT count(*) FROM samples WHERE uid = ?').pluck().get(LIVE) as number;
    db.close();
    // Killed in the middle: part converted, part still rows; the live path lost at most its batch in flight.
    expect(blocks).toBeGreaterThanOrEqual(announced.blocks);
    expect(blocks).toBeLessThan(total);
    expect(oldRows).toBeGreaterThan(0);
    expect(live).toBeGreaterThanOrEqual(announced.live);
    expect(live - announced.live).toBeLessThanOrEqual(10);

    const store = new Store({ file });
    expectEverySample(store);
    expect(store.raw.blocks.converting).toBe(true);
    store.raw.blocks.closeAll(Date.now());
    expect(store.raw.blocks.converting).toBe(false);
    expect(store.db.prepare('SELECT count(*) FROM sample_blocks WHERE uid != ?').pluck().get(LIVE)).toBe(
      total,
    );
    expect(store.db.prepare('SELECT count(*) FROM samples WHERE uid != ?').pluck().get(LIVE)).toBe(0);
    expect(store.db.prepare('SELECT count(*) FROM samples_text').pluck().get()).toBe(0);
    expectEverySample(store);
    store.close();
  });
});
