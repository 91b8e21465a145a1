import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Store } from '../src-main/store/store.js';
import { repeat, result, type Bench } from './lib.js';
import { plainDevice, gauges } from '../test/helpers/plain-device.js';

/** Samples/s through the engine's store path vs raw prepared inserts in one transaction. */
export const ingest: Bench = async (ctx) => {
  const n = ctx.quick ? 20_000 : 100_000;
  const signals = 100;
  const runs = ctx.quick ? 3 : 5;
  const dir = mkdtempSync(join(tmpdir(), 'ems-bench-ingest-'));
  const ours = await repeat(runs, () => {
    const store = new Store({ file: join(dir, `ours-${Math.random()}.db`) });
    const tree = store.config.addDevice(plainDevice('bench', gauges(signals)));
    const uids = tree.loads[0]!.signals.map((s) => s.uid);
    const t0 = Date.now();
    const started = performance.now();
    // One poll cycle = one sample per signal, flushed as one batch: the live path.
    for (let i = 0; i < n / signals; i++) {
      store.samples.ingest(uids.map((uid, k) => ({ uid, t: t0 + i * 1000, v: k + i, s: 1 as const })));
      store.samples.flush(t0 + i * 1000);
    }
    const ms = performance.now() - started;
    store.close();
    return n / (ms / 1000);
  });
  const raw = await repeat(runs, () => {
    const db = new Database(join(dir, `raw-${Math.random()}.db`));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(
      'CREATE TABLE samples (uid INTEGER NOT NULL, t INTEGER NOT NULL, v REAL NOT NULL, PRIMARY KEY (uid, t)) WITHOUT ROWID',
    );
    const ins = db.prepare('INSERT INTO samples (uid, t, v) VALUES (?, ?, ?)');
    const t0 = Date.now();
    const started = performance.now();
    db.transaction(() => {
      for (let i = 0; i < n; i++) ins.run(i % signals, t0 + Math.floor(i / signals) * 1000, i);
    })();
    const ms = performance.now() - started;
    db.close();
    return n / (ms / 1000);
  });
  ctx.log(`ingest: ours ${Math.round(ours[0] ?? 0)}/s vs raw ${Math.round(raw[0] ?? 0)}/s`);
  return [
    result(
      'ingest.samples_per_s',
      'samples/s',
      ours,
      'raw better-sqlite3 prepared INSERTs, one transaction',
      raw,
      `${signals} signals, one flush (one transaction) per poll cycle; ours also upserts realtime and keeps roll-ups`,
    ),
  ];
};
