import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../src-main/store/store.js';
import { repeat, result, type Bench } from './lib.js';
import { plainDevice } from '../test/helpers/plain-device.js';

/** One year of 60-s roll-ups for one signal: aggregated to 1 h and 1 d, and read raw. */
export const history: Bench = async (ctx) => {
  const rows = ctx.quick ? 52_560 : 525_600;
  const runs = ctx.quick ? 3 : 5;
  const store = new Store({ file: join(mkdtempSync(join(tmpdir(), 'ems-bench-hist-')), 'h.db') });
  const tree = store.config.addDevice(
    plainDevice('bench', [{ key: 'active_power', si: 1, kind: 'gauge', type: 'float', unit: 'W' }]),
  );
  const uid = tree.loads[0]!.signals[0]!.uid;
  const p0 = 1_704_067_200; // 2024-01-01, aligned
  const ins = store.db.prepare(
    'INSERT INTO history (uid, p, t, v, d, max, min, n) VALUES (?, ?, ?, ?, 0, ?, ?, 60)',
  );
  store.db.transaction(() => {
    for (let i = 0; i < rows; i++) {
      const v = 1000 + 500 * Math.sin(i / 720);
      ins.run(uid, p0 + (i + 1) * 60, p0 + (i + 1) * 60 - 1, v, v + 50, v - 50);
    }
  })();
  const agg = (bucket: number) =>
    store.db.prepare(
      `SELECT (p - 60) / ${bucket} * ${bucket} AS b, avg(v), max(max), min(min) FROM history WHERE uid = ? GROUP BY b ORDER BY b`,
    );
  const time = (f: () => unknown) => () => {
    const s = performance.now();
    f();
    return performance.now() - s;
  };
  const hour = agg(3600);
  const day = agg(86_400);
  const rawRead = await repeat(
    runs,
    time(() => store.samples.history(uid, 0, Date.now(), rows + 1)),
  );
  const toHour = await repeat(
    runs,
    time(() => hour.all(uid)),
  );
  const toDay = await repeat(
    runs,
    time(() => day.all(uid)),
  );
  // Baseline: a plain full scan of the same rows with no aggregation and no JS objects per row.
  const scan = store.db.prepare('SELECT count(*), sum(v) FROM history WHERE uid = ?');
  const base = await repeat(
    runs,
    time(() => scan.get(uid)),
  );
  store.close();
  ctx.log(
    `history: raw ${rawRead[0]?.toFixed(1)} ms, 1h ${toHour[0]?.toFixed(1)} ms, 1d ${toDay[0]?.toFixed(1)} ms`,
  );
  const note = `${rows} roll-up rows of one signal`;
  return [
    result('history.read_raw_year', 'ms', rawRead, 'SQLite count+sum scan of the same rows', base, note),
    result('history.aggregate_1h', 'ms', toHour, 'SQLite count+sum scan of the same rows', base, note),
    result('history.aggregate_1d', 'ms', toDay, 'SQLite count+sum scan of the same rows', base, note),
  ];
};
