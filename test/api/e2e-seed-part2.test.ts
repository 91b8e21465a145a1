import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLibrary } from '../../src-main/devices/library.js';
import { freePort } from '../../src-main/sim/demo-plant.js';
import { serveTcp, SimulatedMeter, type RunningSim } from '../../src-main/sim/modbus-sim.js';
import { Store } from '../../src-main/store/store.js';
import { runCli, startServe } from '../helpers/cli.js';

/**
 * Issue 12 against a real `serve` over HTTP: roll-ups keep last values, durations of any size,
 * streamed CSV, loads by device, and `/now` without a value. The configuration is written with the
 * store (no meter is reachable: the device is disabled), samples come in through `samples import`.
 */
const PASSWORD = 'a long password';
const DAY = 86_400_000;
// Two whole UTC days that end three days ago: inside the 7 days of raw samples.
const D0 = Math.floor(Date.now() / DAY) * DAY - 5 * DAY;
const D1 = D0 + 2 * DAY;

interface Sample {
  t: number;
  v: number;
}
const samples: Record<'voltage' | 'energy' | 'flag', Sample[]> = { voltage: [], energy: [], flag: [] };

/** Irregular samples: gaps, bursts, a minute with 230…235 in order, and a stretch every 250 ms. */
function makeSamples(): void {
  let seed = 7;
  const rand = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  let energy = 1000;
  for (let t = D0 + 500; t < D1; t += 3000 + Math.floor(rand() * 9000)) {
    if (t % (6 * 3600_000) < 900_000) continue; // a quarter-hour hole every 6 h
    samples.voltage.push({ t, v: Math.round((225 + rand() * 10) * 100) / 100 });
    energy += rand() * 0.05;
    samples.energy.push({ t, v: Math.round(energy * 1000) / 1000 });
    samples.flag.push({ t, v: rand() < 0.3 ? 1 : 0 });
  }
  const m = D0 + 10 * 3600_000; // 10:00 of the first day
  samples.voltage = samples.voltage.filter((s) => s.t < m || s.t >= m + 60_000);
  [230, 231, 232, 233, 234, 235].forEach((v, i) => samples.voltage.push({ t: m + 5000 + i * 9000, v }));
  const fast = D0 + 12 * 3600_000; // 12:00: 4 samples a second for 10 s
  samples.voltage = samples.voltage.filter((s) => s.t < fast || s.t >= fast + 10_000);
  for (let i = 0; i < 40; i++) samples.voltage.push({ t: fast + i * 250, v: 200 + i });
  samples.voltage.sort((a, b) => a.t - b.t);
}

type Agg = 'avg' | 'last' | 'min' | 'max';

/** The expected buckets, computed naively from the samples: start (ms) → value. */
function expected(list: readonly Sample[], gMs: number, agg: Agg, from = D0, to = D1): Map<number, number> {
  const groups = new Map<number, number[]>();
  for (const s of list) {
    if (s.t < from || s.t >= to) continue;
    const b = Math.floor(s.t / gMs) * gMs;
    const g = groups.get(b);
    if (g) g.push(s.v);
    else groups.set(b, [s.v]);
  }
  const out = new Map<number, number>();
  for (const [b, vs] of groups)
    out.set(
      b,
      agg === 'avg'
        ? vs.reduce((a, c) => a + c, 0) / vs.length
        : agg === 'min'
          ? Math.min(...vs)
          : agg === 'max'
            ? Math.max(...vs)
            : vs.at(-1)!,
    );
  return out;
}

let dir: string;
let db: string;
let uids: Record<'voltage' | 'energy' | 'flag' | 'text', number>;
let device: number;
let load: number;
let uuid: string;
let stop: (() => Promise<void>) | undefined;
let base: string;
let token: string;
let logs: () => string;

async function serve(): Promise<void> {
  const srv = await startServe(['--db', db, '--port', '0'], { EMS_LOG_LEVEL: 'info' });
  stop = () =>
    new Promise<void>((done) => {
      if (srv.proc.exitCode !== null || srv.proc.signalCode !== null) return done();
      srv.proc.once('exit', () => done());
      srv.proc.kill('SIGTERM');
    });
  base = srv.url;
  logs = srv.stderr;
  const res = await fetch(`${base}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'tech', password: PASSWORD }),
  });
  token = ((await res.json()) as { token: string }).token;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ems-e2e12-'));
  db = join(dir, 'ems.db');
  const store = new Store({ file: db });
  const sig = (key: string, si: number, kind: 'gauge' | 'counter', type: 'float' | 'boolean' | 'string') => ({
    key,
    si,
    kind,
    type,
    unit: '',
  });
  const tree = store.config.addDevice({
    label: 'Meter',
    protocol: 'tcp',
    model: 'cg-em24-rs485',
    partNumber: 'EM24',
    system: '3P.N',
    enable: false,
    connection: { host: '127.0.0.1', port: 1, unit: 1, model: 'cg-em24-rs485' },
    loads: [
      {
        label: 'Grid',
        index: 1,
        type: 0,
        settings: { host: '127.0.0.1', port: 1, unit: 1, model: 'cg-em24-rs485' },
        signals: [
          sig('voltage', 29, 'gauge', 'float'),
          sig('energy_import', 6, 'counter', 'float'),
          sig('wiring_error', 83, 'gauge', 'boolean'),
          sig('text_message', 76, 'gauge', 'string'),
        ],
      },
    ],
  });
  const s = tree.loads[0]!.signals;
  uids = { voltage: s[0]!.uid, energy: s[1]!.uid, flag: s[2]!.uid, text: s[3]!.uid };
  device = tree.uid;
  load = tree.loads[0]!.uid;
  uuid = tree.loads[0]!.uuid;
  store.users.add('tech', PASSWORD, 'api');
  store.close();
  makeSamples();
  const csv = ['signal_uid,t_ms,value'];
  for (const [k, list] of Object.entries(samples))
    for (const x of list) csv.push(`${uids[k as keyof typeof samples]},${x.t},${x.v}`);
  writeFileSync(join(dir, 'samples.csv'), `${csv.join('\n')}\n`);
  const imp = await runCli(['samples', 'import', join(dir, 'samples.csv'), '--db', db]);
  expect(imp.code, imp.stderr).toBe(0);
  await serve();
}, 120_000);
afterAll(async () => stop?.());

interface Item {
  attribute: string;
  aggregation?: string;
  granularity?: string;
  gap_filling?: { method: string; look_around?: string };
}

async function timeseries(
  from: number | string,
  to: number | string,
  telemetry: Item[],
): Promise<{ status: number; types: string[]; rows: string[][]; text: string }> {
  const r = await fetch(`${base}/api/telemetry/v1/timeseries`, {
    method: 'POST',
    headers: { 'x-enapter-auth-token': token },
    body: JSON.stringify({ from, to, telemetry: telemetry.map((t) => ({ device: uuid, ...t })) }),
  });
  const text = await r.text();
  const lines = text.split('\n').filter(Boolean);
  return {
    status: r.status,
    types: (r.headers.get('x-enapter-timeseries-data-types') ?? '').split(', '),
    rows: lines.slice(1).map((l) => l.split(',')),
    text,
  };
}

const GRANULARITIES: [string, number][] = [
  ['10s', 10_000],
  ['1m', 60_000],
  ['5m', 300_000],
  ['1h', 3600_000],
  ['1d', DAY],
];
const AGGS = ['avg', 'last', 'min', 'max', 'auto'] as const;

/** Every aggregation × granularity over the imported days, compared with the naive computation. */
async function compareAll(rawKept: boolean): Promise<number> {
  let compared = 0;
  for (const [gran, gMs] of GRANULARITIES)
    for (const agg of AGGS)
      for (const key of ['voltage', 'energy', 'flag'] as const) {
        const attribute = { voltage: 'voltage', energy: 'energy_import', flag: 'wiring_error' }[key];
        if (key === 'flag' && (agg === 'avg' || agg === 'auto')) continue;
        const r = await timeseries(D0 / 1000, D1 / 1000, [
          { attribute, aggregation: agg, granularity: gran },
        ]);
        expect(r.status, `${attribute} ${agg} ${gran}`).toBe(200);
        const effective: Agg = agg === 'auto' ? (key === 'energy' ? 'last' : 'avg') : agg;
        const want = rawKept || gMs >= 60_000 ? expected(samples[key], gMs, effective) : new Map();
        expect(r.rows.length, `${attribute} ${agg} ${gran} rows`).toBe(want.size);
        for (const [ts, cell] of r.rows) {
          const w = want.get(Number(ts) * 1000);
          expect(w, `${attribute} ${agg} ${gran} at ${ts}`).toBeDefined();
          if (key === 'flag') expect(cell).toBe(w ? 'true' : 'false');
          else expect(Number(cell)).toBeCloseTo(w!, 6);
          compared++;
        }
      }
  return compared;
}

describe('issue 12 over HTTP against serve', () => {
  it('12.2: booleans and texts are samples: true/false, quoted text, 400 for avg naming the attribute', async () => {
    const r = await timeseries(D0 / 1000, D0 / 1000 + 3600, [
      { attribute: 'wiring_error', aggregation: 'max', granularity: '1h' },
      { attribute: 'text_message', aggregation: 'last', granularity: '1h' },
    ]);
    expect(r.status).toBe(200);
    expect(r.types).toEqual(['boolean', 'string']);
    expect(r.rows[0]?.[1]).toBe('true');
    const avg = await timeseries(D0 / 1000, D1 / 1000, [
      { attribute: 'text_message', aggregation: 'avg', granularity: '1h' },
    ]);
    expect(avg.status).toBe(400);
    expect(avg.text).toContain('text_message');
    const avgBool = await timeseries(D0 / 1000, D1 / 1000, [
      { attribute: 'wiring_error', aggregation: 'auto', granularity: '1h' },
    ]);
    expect(avgBool.status).toBe(200);
    expect(avgBool.types).toEqual(['boolean']);
  });

  it('12.3: granularities and look-arounds of any positive duration, sub-second buckets from sub-second samples', async () => {
    const fast = (D0 + 12 * 3600_000) / 1000;
    const half = await timeseries(fast, fast + 10, [
      { attribute: 'voltage', aggregation: 'avg', granularity: '500ms' },
    ]);
    expect(half.status).toBe(200);
    expect(half.rows.slice(0, 3)).toEqual([
      [String(fast), '200.5'],
      [`${fast}.5`, '202.5'],
      [String(fast + 1), '204.5'],
    ]);
    expect(half.rows).toHaveLength(20);
    expect(half.text.split('\n')[0]).toContain('granularity=500ms');
    const finer = await timeseries(fast, fast + 1, [
      { attribute: 'voltage', aggregation: 'last', granularity: '100ms' },
    ]);
    expect(finer.rows.map((x) => x[0])).toEqual([`${fast}`, `${fast}.2`, `${fast}.5`, `${fast}.7`]);
    const filled = await timeseries(fast, fast + 1, [
      {
        attribute: 'voltage',
        aggregation: 'last',
        granularity: '100ms',
        gap_filling: { method: 'locf', look_around: '1.5s' },
      },
    ]);
    expect(filled.rows.map((x) => x[1])).toEqual([
      '200',
      '200',
      '201',
      '201',
      '201',
      '202',
      '202',
      '203',
      '203',
      '203',
    ]);
    for (const g of ['1.5s', '2h45m', '1d', '90s'])
      expect(
        (
          await timeseries(D0 / 1000, D1 / 1000, [
            { attribute: 'voltage', aggregation: 'avg', granularity: g },
          ])
        ).status,
        g,
      ).toBe(200);
  });

  it('12.4: a week at 1 s (604,800 rows) is streamed; a client that goes away stops the work', async () => {
    const to = Math.floor(Date.now() / 1000);
    const r = await timeseries(to - 7 * 86_400, to, [
      {
        attribute: 'voltage',
        aggregation: 'last',
        granularity: '1s',
        gap_filling: { method: 'locf', look_around: '7d' },
      },
    ]);
    expect(r.status).toBe(200);
    expect(r.rows).toHaveLength(7 * 86_400);
    expect(r.rows.at(-1)?.[1]).toBe(String(samples.voltage.at(-1)!.v));
    const ac = new AbortController();
    const big = await fetch(`${base}/api/telemetry/v1/timeseries`, {
      method: 'POST',
      headers: { 'x-enapter-auth-token': token },
      signal: ac.signal,
      body: JSON.stringify({
        from: to - 7 * 86_400,
        to,
        telemetry: [
          {
            device: uuid,
            attribute: 'voltage',
            aggregation: 'last',
            granularity: '20ms',
            gap_filling: { method: 'locf', look_around: '7d' },
          },
        ],
      }),
    });
    const reader = big.body!.getReader();
    await reader.read();
    ac.abort();
    await reader.read().catch(() => undefined);
    for (let i = 0; i < 50 && !logs().includes('timeseries client went away'); i++)
      await new Promise((done) => setTimeout(done, 100));
    const line = logs()
      .split('\n')
      .find((l) => l.includes('timeseries client went away'));
    expect(line).toBeDefined();
    // Far fewer than the 30 240 000 rows asked for were computed.
    expect((JSON.parse(line!) as { rows: number }).rows).toBeLessThan(5_000_000);
    expect((await fetch(`${base}/ver`)).status).toBe(200);
  }, 300_000);

  it('12.6: the loads of one device; 12.7: an attribute without a value goes to errors', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const loads = (await (await fetch(`${base}/v1/devices/${device}/loads`, { headers: auth })).json()) as {
      loads: Record<string, { uid: number; did: number }>;
    };
    expect(Object.keys(loads.loads)).toEqual([String(load)]);
    expect(loads.loads[load]?.did).toBe(device);
    expect((await fetch(`${base}/v1/devices/${load}/loads`, { headers: auth })).status).toBe(404);
    const now = (await (
      await fetch(`${base}/api/telemetry/v1/now?devices[${uuid}]=voltage,text_message`, {
        headers: { 'x-enapter-auth-token': token },
      })
    ).json()) as { devices: Record<string, Record<string, { value: unknown }>>; errors: { code: string }[] };
    expect(now.devices[uuid]?.voltage?.value).toBe(samples.voltage.at(-1)!.v);
    expect(now.devices[uuid]?.text_message).toBeUndefined();
    expect(now.errors).toEqual([
      {
        code: 'no_value',
        message: `device ${uuid} attribute "text_message" has no value yet`,
        details: { device: uuid, attribute: 'text_message' },
      },
    ]);
  });
  it('12.1: every aggregation × granularity gives the same from raw samples and, after pruning, from roll-ups', async () => {
    const minute = (D0 + 10 * 3600_000) / 1000;
    for (const [gran, want] of [
      ['30s', ['232', '235']],
      ['1m', ['235']],
    ] as const) {
      const r = await timeseries(minute, minute + 60, [
        { attribute: 'voltage', aggregation: 'last', granularity: gran },
      ]);
      expect(r.rows.map((x) => x[1])).toEqual(want);
    }
    expect(await compareAll(true)).toBeGreaterThan(40_000);
    await stop?.();
    const store = new Store({ file: db });
    expect(store.samples.trimRaw(0)).toBeGreaterThan(0);
    store.close();
    await serve();
    const r = await timeseries(minute, minute + 60, [
      { attribute: 'voltage', aggregation: 'last', granularity: '1m' },
    ]);
    expect(r.rows).toEqual([[String(minute), '235']]);
    expect(await compareAll(false)).toBeGreaterThan(5_000);
  }, 600_000);
});

describe('12.3 over HTTP: a poll period below 1 s fills 500 ms buckets', () => {
  let sim: RunningSim | undefined;
  let srv: Awaited<ReturnType<typeof startServe>> | undefined;
  afterAll(async () => {
    if (srv && srv.proc.exitCode === null) {
      const gone = new Promise((done) => srv!.proc.once('exit', done));
      srv.proc.kill('SIGTERM');
      await gone;
    }
    await sim?.stop();
  });

  it('scan → add --poll-ms 250 → serve polls four times a second → /timeseries at 500ms has a value in (nearly) every half-second bucket', async () => {
    const model = loadLibrary().get('cg-em24-rs485')!;
    const port = await freePort();
    sim = await serveTcp(new SimulatedMeter({ model, unit: 2, seed: 5 }), port);
    const dir2 = mkdtempSync(join(tmpdir(), 'ems-e2e12-poll-'));
    const db2 = join(dir2, 'ems.db');
    const scan = await runCli([
      'scan',
      'tcp',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--units',
      '2',
      '--json',
    ]);
    expect(scan.code, scan.stderr).toBe(0);
    writeFileSync(join(dir2, 'scan.json'), scan.stdout);
    // Below the floor is refused with the range, and nothing is added.
    const tooFast = await runCli([
      'add',
      '--from-scan',
      join(dir2, 'scan.json'),
      '--poll-ms',
      '50',
      '--db',
      db2,
    ]);
    expect(tooFast.code).toBe(2);
    expect(tooFast.stderr).toContain('--poll-ms must be between 100 and 3600000');
    const add = await runCli([
      'add',
      '--from-scan',
      join(dir2, 'scan.json'),
      '--poll-ms',
      '250',
      '--db',
      db2,
    ]);
    expect(add.code, add.stderr).toBe(0);
    const users = await runCli(
      ['users', 'add', 'tech', '--role', 'api', '--password-stdin', '--db', db2],
      `${PASSWORD}\n`,
    );
    expect(users.code, users.stderr).toBe(0);
    const store = new Store({ file: db2 });
    const [device] = store.config.devices();
    const lid = store.config.loads({ did: device!.uid })[0]!.uid;
    store.close();
    expect(device!.pollMs).toBe(250);

    srv = await startServe(['--db', db2, '--port', '0']);
    const login = await fetch(`${srv.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'tech', password: PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    // Four whole seconds of polling after the first sample (the store writes each poll cycle).
    const t0 = Math.ceil(Date.now() / 1000) + 1;
    await new Promise((r) => setTimeout(r, (t0 + 4) * 1000 - Date.now() + 1500));
    const r = await fetch(`${srv.url}/api/telemetry/v1/timeseries`, {
      method: 'POST',
      headers: { 'x-enapter-auth-token': token },
      body: JSON.stringify({
        from: t0,
        to: t0 + 4,
        telemetry: [
          { device: String(lid), attribute: 'voltage_l1', aggregation: 'last', granularity: '500ms' },
        ],
      }),
    });
    const text = await r.text();
    expect(r.status, text).toBe(200);
    const rows = text
      .split('\n')
      .filter(Boolean)
      .slice(1)
      .map((l) => l.split(','));
    expect(rows.map((x) => x[0])).toEqual(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? `${t0 + (i - 1) / 2}.5` : String(t0 + i / 2))),
    );
    // The half seconds hold samples: read at least twice a second (a 1-s poll fills at most 5 of 8;
    // one bucket may stay empty when a loaded machine delays a poll).
    const filled = rows.filter((x) => x[1] !== undefined && x[1] !== '' && Number.isFinite(Number(x[1])));
    expect(filled.length).toBeGreaterThanOrEqual(7);
  }, 120_000);
});
