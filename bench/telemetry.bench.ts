import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { issueToken } from '../src-main/api/auth.js';
import { ROUTES } from '../src-main/api/routes.js';
import { buildApi } from '../src-main/api/server.js';
import { Engine } from '../src-main/engine.js';
import { interleave, pairedResult, timed, type Bench } from './lib.js';
import { plainDevice } from '../test/helpers/plain-device.js';

/**
 * POST /api/telemetry/v1/timeseries: 10 attributes over one day at 1 s through the HTTP handler, vs
 * reading the same raw rows with one SQL statement. Runs interleaved (ours, raw read, ours …).
 */
export const telemetry: Bench = async (ctx) => {
  const dir = mkdtempSync(join(tmpdir(), 'ems-bench-tel-'));
  const engine = new Engine({
    dbFile: join(dir, 'ems.db'),
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
    // Full: one day at 1 s. Quick (a smoke run): the first two hours of it.
    const span = ctx.quick ? 7200 : 86_400;
    const from = Math.floor(Date.now() / 1000 / 86_400) * 86_400 - 86_400; // yesterday, inside the raw retention
    const value = (i: number) => 200 + Math.sin(i / 600) * 20;
    // Written through the store's import path, so the samples sit in whatever layout the store uses.
    for (const s of signals)
      engine.store.samples.importSamples(
        Array.from({ length: span }, (_, i) => ({ uid: s.uid, t: (from + i) * 1000 + 137, v: value(i) })),
      );
    // A day-old stretch sits in closed blocks in the field (the live path's closer moves rows there
    // within 10 min): read it from there.
    engine.store.raw.blocks.closeAll(Date.now());
    // Baseline: the same rows in a plain (uid, t, v) table with the store's pragmas, read with one statement.
    const plain = new Database(join(dir, 'plain.db'));
    plain.pragma('journal_mode = WAL');
    plain.pragma('synchronous = NORMAL');
    plain.exec(
      'CREATE TABLE samples (uid INTEGER NOT NULL, t INTEGER NOT NULL, v REAL NOT NULL, PRIMARY KEY (uid, t)) WITHOUT ROWID',
    );
    const ins = plain.prepare('INSERT INTO samples (uid, t, v) VALUES (?, ?, ?)');
    plain.transaction(() => {
      for (const s of signals)
        for (let i = 0; i < span; i++) ins.run(s.uid, (from + i) * 1000 + 137, value(i));
    })();
    const scan = plain
      .prepare(
        `SELECT uid, t, v FROM samples WHERE uid IN (${signals.map(() => '?').join(',')}) AND t >= ? AND t < ?`,
      )
      .raw();
    engine.store.users.add('bench', 'bench-password', 'api');
    const token = await issueToken(engine.store, { username: 'bench', role: 'api' });
    const app = await buildApi(engine, ROUTES);
    const body = JSON.stringify({
      from,
      to: from + span,
      granularity: '1s',
      aggregation: 'avg',
      telemetry: signals.map((s) => ({ device: tree.loads[0]!.uuid, attribute: s.key })),
    });
    const runs = ctx.quick ? 3 : 5;
    let rows = 0;
    let read = 0;
    const r = await interleave(runs, {
      api: () =>
        timed(async () => {
          const res = await app.inject({
            method: 'POST',
            url: '/api/telemetry/v1/timeseries',
            headers: { 'x-enapter-auth-token': token, 'content-type': 'application/json' },
            payload: body,
          });
          if (res.statusCode !== 200)
            throw new Error(`timeseries: ${res.statusCode} ${res.body.slice(0, 200)}`);
          rows = res.body.split('\n').length - 2;
        }),
      raw: () =>
        timed(() => {
          read = scan.all(...signals.map((s) => s.uid), from * 1000, (from + span) * 1000).length;
        }),
    });
    await app.close();
    plain.close();
    if (rows !== span || read !== span * signals.length)
      throw new Error(`telemetry: ${rows} CSV rows, ${read} raw rows for ${span} s × ${signals.length}`);
    ctx.log(
      `telemetry: ${span} s at 1 s × 10 attributes: ${Math.round(r.api[0] ?? 0)} ms (${rows} rows) vs raw read ${Math.round(r.raw[0] ?? 0)} ms`,
    );
    return [
      pairedResult(
        'telemetry.timeseries_10_attrs_day_1s',
        'ms',
        r.api,
        `reading the same ${read} raw rows from a plain (uid, t, v) table with one SQL statement`,
        r.raw,
        `${rows} CSV rows, aggregation avg, through the HTTP handler; goal ≤ 1.5×${ctx.quick ? '; quick: 2 h of the day' : ''}`,
      ),
    ];
  } finally {
    await engine.close();
  }
};
