import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueToken } from '../src-main/api/auth.js';
import { ROUTES } from '../src-main/api/routes.js';
import { MAX_LIMIT } from '../src-main/api/schemas/common.js';
import { buildApi } from '../src-main/api/server.js';
import { Engine } from '../src-main/engine.js';
import { interleave, pairedResult, timed, type Bench } from './lib.js';
import { plainDevice } from '../test/helpers/plain-device.js';

const HOUR_NS = 3_600_000_000_000n;
const DAY_NS = 24n * HOUR_NS;

/**
 * One year of 60-s roll-ups of one signal (written by the store's own import path, so the 1-h and
 * 1-d roll-ups are the store's too): aggregated to 1 h and 1 d buckets through the store's telemetry
 * queries (goals ≤ 50 ms / ≤ 20 ms), and read whole through `/v1/history/{uid}` page by page, as a
 * client must (limit ≤ MAX_LIMIT), against a raw SQLite scan of the same rows. Runs interleaved.
 */
export const history: Bench = async (ctx) => {
  const rows = ctx.quick ? 52_560 : 525_600;
  const runs = ctx.quick ? 3 : 5;
  const engine = new Engine({
    dbFile: join(mkdtempSync(join(tmpdir(), 'ems-bench-hist-')), 'ems.db'),
    poll: false,
  });
  const app = await buildApi(engine, ROUTES);
  try {
    const store = engine.store;
    const tree = store.config.addDevice(
      plainDevice('bench', [{ key: 'active_power', si: 1, kind: 'gauge', type: 'float', unit: 'W' }]),
    );
    const uid = tree.loads[0]!.signals[0]!.uid;
    const t0 = Date.UTC(2024, 0, 1); // one sample per minute: one roll-up row per minute
    const samples = Array.from({ length: rows }, (_, i) => ({
      uid,
      t: t0 + i * 60_000 + 30_000,
      v: 1000 + 500 * Math.sin(i / 720),
    }));
    const seeded = performance.now();
    const { periods } = store.samples.importSamples(samples);
    if (periods !== rows) throw new Error(`history: ${periods} roll-ups written for ${rows} samples`);
    ctx.log(`history: ${rows} roll-ups written in ${Math.round(performance.now() - seeded)} ms`);
    const toMs = t0 + rows * 60_000;
    const buckets = (gNs: bigint) =>
      store.telemetry.buckets({ uid, fromMs: t0, toMs, gNs, aggregation: 'avg', text: false });
    const hours = Math.ceil(rows / 60);
    if (buckets(HOUR_NS).length !== hours) throw new Error('history: wrong number of 1-h buckets');

    store.users.add('bench', 'bench-password', 'api');
    const token = await issueToken(store, { username: 'bench', role: 'api' });
    let read = 0;
    const readApi = async () => {
      read = 0;
      for (let page = 1; ; page++) {
        const r = await app.inject({
          url: `/v1/history/${uid}?limit=${MAX_LIMIT}&page=${page}`,
          headers: { authorization: `Bearer ${token}` },
        });
        if (r.statusCode !== 200) throw new Error(`/v1/history: ${r.statusCode} ${r.body.slice(0, 200)}`);
        const got = (JSON.parse(r.body) as unknown[]).length;
        read += got;
        if (got < MAX_LIMIT) break;
      }
    };
    // The same rows and columns the endpoint answers, out of SQLite with one prepared statement.
    const rawRows = store.db
      .prepare('SELECT uid, t, p, v, d, max, min FROM history WHERE uid = ? ORDER BY p')
      .raw();
    // The previous run's baseline: a scan of the same rows with no row reaching JS.
    const countScan = store.db.prepare('SELECT count(*), sum(v) FROM history WHERE uid = ?');
    const r = await interleave(runs, {
      hour: () => timed(() => buckets(HOUR_NS)),
      day: () => timed(() => buckets(DAY_NS)),
      scan: () => timed(() => countScan.get(uid)),
      api: () => timed(readApi),
      raw: () => timed(() => rawRows.all(uid)),
    });
    if (read !== rows) throw new Error(`history: /v1/history read ${read} of ${rows} rows`);
    ctx.log(
      `history: 1h ${r.hour[0]?.toFixed(1)} ms, 1d ${r.day[0]?.toFixed(1)} ms, /v1/history ${r.api[0]?.toFixed(0)} ms, raw rows ${r.raw[0]?.toFixed(0)} ms, count scan ${r.scan[0]?.toFixed(1)} ms`,
    );
    const note = `${rows} roll-up rows of one signal`;
    const scanName = 'SQLite count+sum scan of the same rows';
    return [
      pairedResult('history.aggregate_1h', 'ms', r.hour, scanName, r.scan, `${note}; goal ≤ 50 ms`),
      pairedResult('history.aggregate_1d', 'ms', r.day, scanName, r.scan, `${note}; goal ≤ 20 ms`),
      pairedResult(
        'history.read_year_webapi',
        'ms',
        r.api,
        'the same rows and columns read raw with one prepared SQLite statement',
        r.raw,
        `${note}, ${Math.ceil(rows / MAX_LIMIT)} pages of ${MAX_LIMIT} through /v1/history/{uid}; goal ≤ 3×`,
      ),
      pairedResult('history.read_year_webapi_vs_count_scan', 'ms', r.api, scanName, r.scan, note),
    ];
  } finally {
    await app.close();
    await engine.close();
  }
};
