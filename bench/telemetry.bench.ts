import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueToken } from '../src-main/api/auth.js';
import { ROUTES } from '../src-main/api/routes.js';
import { buildApi } from '../src-main/api/server.js';
import { Engine } from '../src-main/engine.js';
import { repeat, result, type Bench } from './lib.js';
import { plainDevice } from '../test/helpers/plain-device.js';

/** POST /api/telemetry/v1/timeseries: 10 attributes over one day at 1 s, vs reading the same raw rows in SQL. */
export const telemetry: Bench = async (ctx) => {
  const engine = new Engine({
    dbFile: join(mkdtempSync(join(tmpdir(), 'ems-bench-tel-')), 'ems.db'),
    poll: false,
  });
  try {
    const keys = [...engine.catalogue.byKey.values()]
      .filter((c) => c.type === 'float' && c.kind === 'gauge')
      .slice(0, 10);
    const tree = engine.store.config.addDevice(
      plainDevice(
        'bench',
        keys.map((c) => ({ key: c.key, si: c.si, kind: c.kind, type: c.type, unit: c.unit })),
      ),
    );
    const signals = tree.loads[0]!.signals;
    const day = 86_400;
    const from = Math.floor(Date.now() / 1000 / day) * day - day; // yesterday, inside the raw retention
    const ins = engine.store.db.prepare('INSERT INTO samples (uid, t, v) VALUES (?, ?, ?)');
    engine.store.db.transaction(() => {
      for (const s of signals)
        for (let i = 0; i < day; i++) ins.run(s.uid, (from + i) * 1000 + 137, 200 + Math.sin(i / 600) * 20);
    })();
    engine.store.users.add('bench', 'bench-password', 'api');
    const token = await issueToken(engine.store, { username: 'bench', role: 'api' });
    const app = await buildApi(engine, ROUTES);
    const body = JSON.stringify({
      from,
      to: from + day,
      granularity: '1s',
      aggregation: 'avg',
      telemetry: signals.map((s) => ({ device: tree.loads[0]!.uuid, attribute: s.key })),
    });
    const runs = ctx.quick ? 2 : 5;
    let rows = 0;
    const api = await repeat(runs, async () => {
      const started = performance.now();
      const r = await app.inject({
        method: 'POST',
        url: '/api/telemetry/v1/timeseries',
        headers: { 'x-enapter-auth-token': token, 'content-type': 'application/json' },
        payload: body,
      });
      if (r.statusCode !== 200) throw new Error(`timeseries: ${r.statusCode} ${r.body.slice(0, 200)}`);
      rows = r.body.split('\n').length - 2;
      return performance.now() - started;
    });
    const scan = engine.store.db
      .prepare(
        `SELECT uid, t, v FROM samples WHERE uid IN (${signals.map(() => '?').join(',')}) AND t >= ? AND t < ?`,
      )
      .raw();
    const raw = await repeat(runs, () => {
      const started = performance.now();
      scan.all(...signals.map((s) => s.uid), from * 1000, (from + day) * 1000);
      return performance.now() - started;
    });
    await app.close();
    ctx.log(
      `telemetry: day at 1 s × 10 attributes: ${Math.round(api[0] ?? 0)} ms (${rows} rows) vs raw read ${Math.round(raw[0] ?? 0)} ms`,
    );
    return [
      result(
        'telemetry.timeseries_10_attrs_day_1s',
        'ms',
        api,
        'reading the same 864,000 raw rows with one SQL statement',
        raw,
        `${rows} CSV rows, aggregation avg, through the HTTP handler`,
      ),
    ];
  } finally {
    await engine.close();
  }
};
