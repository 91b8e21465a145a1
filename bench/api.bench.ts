import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROUTES } from '../src-main/api/routes.js';
import { buildApi } from '../src-main/api/server.js';
import { issueToken } from '../src-main/api/auth.js';
import { Engine } from '../src-main/engine.js';
import { pairedResult, type Bench, type BenchResult } from './lib.js';
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
 * Runs interleaved (ours, static, ours …), 5 in full, 1 in --quick.
 */
export const api: Bench = async (ctx) => {
  const engine = new Engine({
    dbFile: join(mkdtempSync(join(tmpdir(), 'ems-bench-api-')), 'ems.db'),
    poll: false,
  });
  const keys = [...engine.catalogue.byKey.values()].filter((c) => c.type === 'float').slice(0, 50);
  const now = Date.now();
  let loadUuid = '';
  const uids: number[] = [];
  for (let d = 0; d < 20; d++) {
    const tree = engine.store.config.addDevice(
      plainDevice(
        `bench ${d}`,
        keys.map((c) => ({ key: c.key, si: c.si, kind: c.kind, type: c.type, unit: c.unit })),
      ),
    );
    loadUuid = tree.loads[0]!.uuid;
    uids.push(...tree.loads[0]!.signals.map((s) => s.uid));
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
  const duration = ctx.quick ? 3 : 5;
  const runs = ctx.quick ? 1 : 5;
  const out: BenchResult[] = [];
  const cannon = async (url: string, headers: Record<string, string>) => {
    const r = await autocannon({ url: `${base}${url}`, connections: 10, duration, headers });
    if (r.non2xx || r.errors) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    return r;
  };
  // Live values change once per poll cycle: a cycle of every signal is written each second during
  // every measurement (ours and the static handler alike), so cached answers are rebuilt as in the field.
  let cycle = 0;
  const writer = setInterval(() => {
    const t = Date.now();
    cycle++;
    engine.store.samples.ingest(uids.map((uid, i) => ({ uid, t, v: 230 + i / 10 + cycle, s: 1 as const })));
    engine.store.samples.flush(t);
  }, 1000);
  const rt = { rps: [] as number[], p99: [] as number[] };
  const rtStatic = { rps: [] as number[], p99: [] as number[] };
  const tn = { rps: [] as number[], p99: [] as number[] };
  const tnStatic = { rps: [] as number[], p99: [] as number[] };
  const into = (acc: { rps: number[]; p99: number[] }) => (r: CannonResult) => {
    acc.rps.push(r.requests.average);
    acc.p99.push(r.latency.p99);
  };
  try {
    // Interleaved: ours, static, ours, static … so a change in the machine's load touches both alike.
    for (let i = 0; i < runs; i++) {
      into(rt)(await cannon('/v1/realtime', { authorization: `Bearer ${token}` }));
      into(rtStatic)(await cannon('/bench/static-realtime', {}));
      into(tn)(await cannon(`/api/telemetry/v1/now?${nowQuery}`, { 'x-enapter-auth-token': token }));
      into(tnStatic)(await cannon('/bench/static-now', {}));
    }
    clearInterval(writer);
    if (cycle < runs * 4 * duration - 4) throw new Error(`api: only ${cycle} poll cycles written`);
    ctx.log(
      `api: realtime ${Math.round(rt.rps[0] ?? 0)} req/s vs static ${Math.round(rtStatic.rps[0] ?? 0)}; now ${Math.round(tn.rps[0] ?? 0)} vs ${Math.round(tnStatic.rps[0] ?? 0)}; ${cycle} poll cycles written meanwhile`,
    );
    const size = `${Math.round(realtimeBody.length / 1024)} KiB body, 1000 signals, 10 connections, a poll cycle written every second`;
    out.push(
      pairedResult(
        'api.realtime_1000_req_per_s',
        'req/s',
        rt.rps,
        'static JSON of the same size, same server',
        rtStatic.rps,
        size,
      ),
    );
    out.push(
      pairedResult(
        'api.realtime_1000_p99',
        'ms',
        rt.p99,
        'static JSON of the same size, same server',
        rtStatic.p99,
        size,
      ),
    );
    out.push(
      pairedResult(
        'api.telemetry_now_req_per_s',
        'req/s',
        tn.rps,
        'static JSON of the same size, same server',
        tnStatic.rps,
        '10 attributes of one device, a poll cycle written every second',
      ),
    );
    out.push(
      pairedResult(
        'api.telemetry_now_p99',
        'ms',
        tn.p99,
        'static JSON of the same size, same server',
        tnStatic.p99,
        '10 attributes of one device, a poll cycle written every second',
      ),
    );
  } finally {
    clearInterval(writer);
    await app.close();
    await engine.close();
  }
  return out;
};
