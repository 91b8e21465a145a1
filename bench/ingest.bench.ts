import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Store } from '../src-main/store/store.js';
import { interleave, pairedResult, type Bench } from './lib.js';
import { plainDevice, gauges } from '../test/helpers/plain-device.js';

const SIGNALS = 100;

/** A database with the plain raw-sample table and the store's pragmas: what the baselines write to. */
function plainDb(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    'CREATE TABLE samples (uid INTEGER NOT NULL, t INTEGER NOT NULL, v REAL NOT NULL, PRIMARY KEY (uid, t)) WITHOUT ROWID',
  );
  return db;
}

/**
 * Samples/s through the store's public write path (queue, one flush per poll cycle of 100 signals:
 * raw samples, realtime, roll-ups at each closed minute) against raw better-sqlite3 prepared INSERTs
 * of the same rows in the same transaction pattern (one transaction per cycle), and against the same
 * INSERTs in one big transaction. Runs interleaved: ours, same pattern, one transaction, ours …
 */
export const ingest: Bench = async (ctx) => {
  const n = ctx.quick ? 20_000 : 100_000;
  const cycles = n / SIGNALS;
  const runs = ctx.quick ? 3 : 5;
  const dir = mkdtempSync(join(tmpdir(), 'ems-bench-ingest-'));
  let seq = 0;
  const file = (name: string) => join(dir, `${name}-${seq++}.db`);
  // Every run starts on a fresh database at a minute boundary after now (a new store rolls up from the
  // current minute on), so each run writes the same roll-ups: one per closed minute.
  const t0 = Math.ceil(Date.now() / 60_000) * 60_000 + 60_000;

  const ours = (): number => {
    const store = new Store({ file: file('ours') });
    const tree = store.config.addDevice(plainDevice('bench', gauges(SIGNALS)));
    const uids = tree.loads[0]!.signals.map((s) => s.uid);
    const started = performance.now();
    for (let i = 0; i < cycles; i++) {
      const t = t0 + i * 1000;
      store.samples.ingest(uids.map((uid, k) => ({ uid, t, v: k + i, s: 1 as const })));
      store.samples.flush(t);
    }
    const ms = performance.now() - started;
    // The figure counts roll-ups: make sure they were written.
    if (!store.samples.latestHistory(uids[0]!)) throw new Error('ingest: no roll-up was written');
    store.close();
    return n / (ms / 1000);
  };
  const perCycle = (): number => {
    const db = plainDb(file('cycle'));
    const ins = db.prepare('INSERT INTO samples (uid, t, v) VALUES (?, ?, ?)');
    const cycle = db.transaction((t: number, i: number) => {
      for (let k = 0; k < SIGNALS; k++) ins.run(k + 1, t, k + i);
    });
    const started = performance.now();
    for (let i = 0; i < cycles; i++) cycle(t0 + i * 1000, i);
    const ms = performance.now() - started;
    db.close();
    return n / (ms / 1000);
  };
  const oneTx = (): number => {
    const db = plainDb(file('one'));
    const ins = db.prepare('INSERT INTO samples (uid, t, v) VALUES (?, ?, ?)');
    const started = performance.now();
    db.transaction(() => {
      for (let i = 0; i < cycles; i++) for (let k = 0; k < SIGNALS; k++) ins.run(k + 1, t0 + i * 1000, k + i);
    })();
    const ms = performance.now() - started;
    db.close();
    return n / (ms / 1000);
  };
  try {
    const r = await interleave(runs, { ours, perCycle, oneTx });
    ctx.log(
      `ingest: ours ${Math.round(r.ours[0] ?? 0)}/s, raw per cycle ${Math.round(r.perCycle[0] ?? 0)}/s, raw one transaction ${Math.round(r.oneTx[0] ?? 0)}/s`,
    );
    const note = `${n} samples, ${SIGNALS} signals, one transaction per poll cycle; ours also upserts realtime and writes the 60-s, 1-h and 1-d roll-ups`;
    return [
      pairedResult(
        'ingest.samples_per_s',
        'samples/s',
        r.ours,
        'raw better-sqlite3 prepared INSERTs of the same rows, one transaction per poll cycle',
        r.perCycle,
        note,
      ),
      pairedResult(
        'ingest.samples_per_s_vs_one_transaction',
        'samples/s',
        r.ours,
        'raw better-sqlite3 prepared INSERTs of the same rows, all in one transaction',
        r.oneTx,
        note,
      ),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
