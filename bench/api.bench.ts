import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROUTES } from '../src-main/api/routes.js';
import { buildApi } from '../src-main/api/server.js';
import { issueToken } from '../src-main/api/auth.js';
import { Engine } from '../src-main/engine.js';
import { result, type Bench, type BenchResult } from './lib.js';
import { plainDevice } from '../test/helpers/plain-device.js';

interface CannonResult {
  requests: { average: number };
  latency: { p99: number };
  non2xx: number;
  errors: number;
}
type Cannon = (o: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
}) => Promise<CannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

/**
 * /v1/realtime with 1000 signals and /api/telemetry/v1/now under autocannon, each against a static JSON
 * handler of the same size in the same server: the ratio is what our routing, auth and queries cost.
 */
export const api: Bench = async (ctx) => {
  const engine = new Engine({
    dbFile: join(mkdtempSync(join(tmpdir(), 'ems-bench-api-')), 'ems.db'),
    poll: false,
  });
  const keys = [...engine.catalogue.byKey.values()].filter((c) => c.type === 'float').slice(0, 50);
  const now = Date.now();
  let loadUuid = '';
  for (let d = 0; d < 20; d++) {
    const tree = engine.store.config.addDevice(
      plainDevice(
        `bench ${d}`,
        keys.map((c) => ({ key: c.key, si: c.si, kind: c.kind, type: c.type, unit: c.unit })),
      ),
    );
    loadUuid = tree.loads[0]!.uuid;
    engine.store.samples.ingest(
      tree.loads[0]!.signals.map((s, i) => ({ uid: s.uid, t: now, v: 230 + i / 10, s: 1 as const })),
    );
  }
  engine.store.samples.flush(now);
  engine.store.users.add('bench', 'bench-password', 'api');
  const token = await issueToken(engine.store, { username: 'bench', role: 'api' });
  let realtimeBody = '';
  let nowBody = '';
  const app = await buildApi(engine, [
    ...ROUTES,
    (a) => {
      a.get('/bench/static-realtime', (_req, reply) => reply.type('application/json').send(realtimeBody));
      a.get('/bench/static-now', (_req, reply) => reply.type('application/json').send(nowBody));
    },
  ]);
  realtimeBody = (await app.inject({ url: '/v1/realtime', headers: { authorization: `Bearer ${token}` } }))
    .body;
  const nowQuery = `devices[${loadUuid}]=${keys
    .slice(0, 10)
    .map((k) => k.key)
    .join(',')}`;
  nowBody = (
    await app.inject({ url: `/api/telemetry/v1/now?${nowQuery}`, headers: { 'x-enapter-auth-token': token } })
  ).body;
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const duration = ctx.quick ? 3 : 10;
  const runs = ctx.quick ? 1 : 3;
  const out: BenchResult[] = [];
  const measure = async (url: string, headers: Record<string, string>) => {
    const rps: number[] = [];
    const p99: number[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await autocannon({ url: `${base}${url}`, connections: 10, duration, headers });
      if (r.non2xx || r.errors) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
      rps.push(r.requests.average);
      p99.push(r.latency.p99);
    }
    return { rps, p99 };
  };
  try {
    const rt = await measure('/v1/realtime', { authorization: `Bearer ${token}` });
    const rtStatic = await measure('/bench/static-realtime', {});
    const tn = await measure(`/api/telemetry/v1/now?${nowQuery}`, { 'x-enapter-auth-token': token });
    const tnStatic = await measure('/bench/static-now', {});
    ctx.log(
      `api: realtime ${Math.round(rt.rps[0] ?? 0)} req/s vs static ${Math.round(rtStatic.rps[0] ?? 0)}; now ${Math.round(tn.rps[0] ?? 0)} vs ${Math.round(tnStatic.rps[0] ?? 0)}`,
    );
    const size = `${Math.round(realtimeBody.length / 1024)} KiB body, 1000 signals, 10 connections`;
    out.push(
      result(
        'api.realtime_1000_req_per_s',
        'req/s',
        rt.rps,
        'static JSON of the same size, same server',
        rtStatic.rps,
        size,
      ),
    );
    out.push(
      result(
        'api.realtime_1000_p99',
        'ms',
        rt.p99,
        'static JSON of the same size, same server',
        rtStatic.p99,
        size,
      ),
    );
    out.push(
      result(
        'api.telemetry_now_req_per_s',
        'req/s',
        tn.rps,
        'static JSON of the same size, same server',
        tnStatic.rps,
        '10 attributes of one device',
      ),
    );
    out.push(
      result(
        'api.telemetry_now_p99',
        'ms',
        tn.p99,
        'static JSON of the same size, same server',
        tnStatic.p99,
        '10 attributes of one device',
      ),
    );
  } finally {
    await app.close();
    await engine.close();
  }
  return out;
};
