import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLibrary } from '../../src-main/devices/library.js';
import { freePort } from '../../src-main/sim/demo-plant.js';
import { serveTcp, SimulatedMeter, type RunningSim } from '../../src-main/sim/modbus-sim.js';
import { Store } from '../../src-main/store/store.js';
import { runCli, startServe } from '../helpers/cli.js';
import { sleep } from '../helpers/peers.js';

/**
 * Issue 12.5 against a real `serve` over HTTP: the seed's meter settings on the loads of electricity
 * meters (main, system, ct, …, configReadAt), read from a simulated Modbus TCP meter with the real
 * `configure` command, a meter never read, the main meter moved with `configure --main`, and the
 * demo plant's CT meter.
 */
const PASSWORD = 'a long password';
type Obj = Record<string, unknown>;
interface LoadJson {
  uid: number;
  did: number;
  label: string;
  tcp?: Obj;
  rtu?: Obj;
  P1?: Obj;
  virtual?: Obj;
}

const kills: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const k of kills.reverse()) await k();
});

async function login(base: string): Promise<Record<string, string>> {
  const res = await fetch(`${base}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'tech', password: PASSWORD }),
  });
  const { token } = (await res.json()) as { token: string };
  return { authorization: `Bearer ${token}` };
}

async function loads(base: string, auth: Record<string, string>): Promise<Record<string, LoadJson>> {
  const r = await fetch(`${base}/v1/loads`, { headers: auth });
  expect(r.status).toBe(200);
  return ((await r.json()) as { loads: Record<string, LoadJson> }).loads;
}

function stopper(proc: ReturnType<typeof startServe> extends Promise<infer S> ? S : never) {
  return () =>
    new Promise<void>((done) => {
      if (proc.proc.exitCode !== null || proc.proc.signalCode !== null) return done();
      proc.proc.once('exit', () => done());
      proc.proc.kill('SIGTERM');
    });
}

describe('the seed meter settings on loads (issue 12.5), configured site', () => {
  let dir: string;
  let db: string;
  let sim: RunningSim;
  let simPort: number;
  let read: number; // the EM24 that is read
  let never: number; // the SDM630 never read
  let virt: number;
  let base: string;
  let auth: Record<string, string>;
  let readStart: number;
  let readEnd: number;
  const target = () => [
    '--model',
    'cg-em24-rs485',
    '--host',
    '127.0.0.1',
    '--port',
    String(simPort),
    '--unit',
    '2',
  ];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ems-e2e-meter-'));
    db = join(dir, 'ems.db');
    const model = loadLibrary().get('cg-em24-rs485')!;
    simPort = await freePort();
    sim = await serveTcp(new SimulatedMeter({ model, unit: 2, seed: 3 }), simPort);
    kills.push(() => sim.stop());
    const store = new Store({ file: db });
    const conn = { host: '127.0.0.1', port: simPort, unit: 2, model: 'cg-em24-rs485' };
    read = store.config.addDevice({
      label: 'Heat pump',
      protocol: 'tcp',
      model: 'cg-em24-rs485',
      partNumber: 'EM24',
      system: '3P.N',
      enable: false,
      connection: conn,
      loads: [{ label: 'Heat pump', index: 1, type: 0, settings: conn, signals: [] }],
    }).loads[0]!.uid;
    const dead = { host: '127.0.0.1', port: 1, unit: 1, model: 'eastron-sdm630' };
    never = store.config.addDevice({
      label: 'Grid',
      protocol: 'tcp',
      model: 'eastron-sdm630',
      partNumber: 'SDM630',
      system: '1P',
      enable: false,
      connection: dead,
      loads: [{ label: 'Grid', index: 1, type: 2, settings: dead, signals: [] }],
    }).loads[0]!.uid;
    virt = store.config.addDevice({
      label: 'Sum',
      protocol: 'virtual',
      model: null,
      partNumber: 'VIRTUAL',
      system: '3P.N',
      enable: false,
      connection: {},
      loads: [{ label: 'Sum', index: 1, type: 0, settings: {}, signals: [] }],
    }).loads[0]!.uid;
    store.users.add('tech', PASSWORD, 'api');
    store.close();

    // The technician reads the meter's settings, then writes the CT ratio (read back).
    readStart = Date.now();
    const r = await runCli(['configure', ...target(), '--db', db]);
    readEnd = Date.now();
    expect(r.code, r.stderr).toBe(0);
    const w = await runCli(['configure', ...target(), '--set', 'ct_ratio=20', '--who', 'test', '--db', db]);
    expect(w.code, w.stderr + w.stdout).toBe(0);

    const srv = await startServe(['--db', db, '--port', '0']);
    kills.push(stopper(srv));
    base = srv.url;
    auth = await login(base);
  }, 120_000);

  it('serves main, system, ct, … with the seed names and JSON types, and when they were read', async () => {
    const all = await loads(base, auth);
    const tcp = all[read]!.tcp!;
    // The connection fields stay beside the settings.
    expect(tcp).toMatchObject({ host: '127.0.0.1', port: simPort, unit: 2, model: 'cg-em24-rs485' });
    expect(tcp.main).toBe(false);
    expect(Number.isInteger(tcp.system)).toBe(true);
    expect(tcp.system).toBe(0); // the simulator's 3P.N (its first system choice)
    expect(tcp.ct).toBe(20); // written and read back after the full read
    expect(Number.isInteger(tcp.digitalInputMode)).toBe(true);
    expect(Number.isInteger(tcp.measureType)).toBe(true);
    // Settings the EM24 model does not have are not invented.
    for (const k of ['currentDirections', 'digitalOutputMode', 'digitalOutputModeNcNo', 'startUpCurrentRH'])
      expect(tcp).not.toHaveProperty(k);
    expect(typeof tcp.configReadAt).toBe('string');
    const at = Date.parse(tcp.configReadAt as string);
    expect(at).toBeGreaterThanOrEqual(readStart - 1);
    expect(at).toBeLessThanOrEqual(readEnd + 1);
    // The same object on every route that serves the load.
    const one = (await (await fetch(`${base}/v1/loads/${read}`, { headers: auth })).json()) as {
      loads: Record<string, LoadJson>;
    };
    expect(one.loads[read]!.tcp).toEqual(tcp);
  });

  it('a meter never read says so: configReadAt null, its settings null, system from the configuration', async () => {
    const tcp = (await loads(base, auth))[never]!.tcp!;
    expect(tcp.configReadAt).toBeNull();
    expect(tcp.system).toBe(3); // configured 1P → code 3
    expect(tcp.main).toBe(false);
    expect(tcp).not.toHaveProperty('ct'); // the SDM630 model has no CT ratio setting
    expect(tcp).toMatchObject({ host: '127.0.0.1', port: 1, unit: 1 });
  });

  it('a virtual device has no meter settings', async () => {
    const v = (await loads(base, auth))[virt]!.virtual!;
    expect(v).not.toHaveProperty('main');
    expect(v).not.toHaveProperty('system');
  });

  it('configure --main moves the main meter: one per site', async () => {
    const a = await runCli(['configure', '--load', String(never), '--main', '--db', db]);
    expect(a.code, a.stderr).toBe(0);
    let all = await loads(base, auth);
    expect(all[never]!.tcp!.main).toBe(true);
    expect(all[read]!.tcp!.main).toBe(false);

    // The meter named by its connection, as for the other configure commands.
    const b = await runCli(['configure', ...target(), '--main', '--db', db]);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toContain(`load ${never} no longer is`);
    all = await loads(base, auth);
    expect(all[read]!.tcp!.main).toBe(true);
    expect(all[never]!.tcp!.main).toBe(false);
    expect(Object.values(all).filter((l) => (l.tcp ?? l.rtu ?? l.P1)?.main === true)).toHaveLength(1);

    const c = await runCli(['configure', '--load', String(read), '--not-main', '--db', db]);
    expect(c.code, c.stderr).toBe(0);
    all = await loads(base, auth);
    expect(Object.values(all).filter((l) => (l.tcp ?? l.rtu ?? l.P1)?.main === true)).toHaveLength(0);
  });

  it('bad --main input is a clear error', async () => {
    const missing = await runCli(['configure', '--load', '999999', '--main', '--db', db]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('no load with uid 999999');
    const notMeter = await runCli(['configure', '--load', String(virt), '--main', '--db', db]);
    expect(notMeter.code).not.toBe(0);
    expect(notMeter.stderr).toContain('is not the load of an electricity meter');
    const both = await runCli(['configure', '--load', String(read), '--main', '--not-main', '--db', db]);
    expect(both.code).not.toBe(0);
    expect(both.stderr).toContain('one of --main or --not-main');
  });

  it('the OpenAPI document describes the fields and the system codes', async () => {
    const doc = JSON.stringify(await (await fetch(`${base}/openapi.json`)).json());
    expect(doc).toContain('configReadAt');
    expect(doc).toContain('0 = 3P.N');
    expect(doc).toContain('startUpCurrentRH');
  });
});

describe('serve --demo: the CT meter shows ct (issue 12.5)', () => {
  it('reads the demo meters at start, so the heat pump load has ct and the grid meter is main', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'ems-e2e-meter-demo-')), 'ems.db');
    const add = await runCli(
      ['users', 'add', 'tech', '--role', 'api', '--password-stdin', '--db', db],
      `${PASSWORD}\n`,
    );
    expect(add.code, add.stderr).toBe(0);
    const srv = await startServe(['--db', db, '--port', '0', '--demo']);
    kills.push(stopper(srv));
    const auth = await login(srv.url);
    let heat: Obj | undefined;
    let all: Record<string, LoadJson> = {};
    for (let i = 0; i < 80; i++) {
      all = await loads(srv.url, auth);
      heat = Object.values(all).find((l) => l.label === 'Heat pump (demo)')?.tcp;
      if (heat?.configReadAt) break;
      await sleep(250);
    }
    expect(heat?.configReadAt, 'the heat pump meter was read at demo start').toEqual(expect.any(String));
    expect(typeof heat?.ct).toBe('number');
    expect(heat?.ct).toBeGreaterThan(0);
    const main = Object.values(all).find((l) => l.label === 'Main meter (demo)')?.tcp;
    expect(main?.main).toBe(true);
    expect(Object.values(all).filter((l) => (l.tcp ?? l.rtu ?? l.P1)?.main === true)).toHaveLength(1);
  }, 60_000);
});
