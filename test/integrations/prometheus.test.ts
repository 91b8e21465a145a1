import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startPrometheus, type Peer } from '../helpers/integration-peers.js';
import { startPlant, type Plant } from './fixture.js';

interface PromVector {
  status: string;
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

let plant: Plant;
let prom: Peer | undefined;
let token: string;

beforeAll(async () => {
  plant = await startPlant(
    [{ model: 'eastron-sdm630', unit: 1, keys: ['voltage_l1', 'active_power', 'energy_import'] }],
    (s) => ({ ...s, prometheus: { enabled: true, openOnLoopback: false } }),
  );
  plant.rt.engine.store.users.add('boss', 'a long password', 'admin');
  token = plant.rt.engine.store.tokens.create('prometheus', 'boss').token;
}, 30_000);
afterAll(async () => {
  await prom?.stop();
  await plant.close();
});

const url = (): string => plant.rt.url ?? '';

describe('Prometheus /metrics', () => {
  it('refuses scrapes without a token, and answers with one: signal values and engine health', async () => {
    expect((await fetch(`${url()}/metrics`)).status).toBe(401);
    expect((await fetch(`${url()}/metrics`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    const text = await eventually(async () => {
      const r = await fetch(`${url()}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const t = await r.text();
      return /ems_poll_cycles_total\{[^}]*\} [1-9]/.test(t) &&
        /ems_signal_value\{[^}]*key="voltage_l1"/.test(t)
        ? t
        : undefined;
    }, 'a scrape with values');
    const uid = plant.devices[0]!.uid;
    expect(text).toMatch(
      new RegExp(
        `ems_signal_value\\{device_uid="${uid}",[^}]*key="voltage_l1",[^}]*unit="V",kind="gauge"\\} 2[0-9]{2}`,
      ),
    );
    expect(text).toMatch(/ems_signal_value\{[^}]*key="energy_import",[^}]*unit="kWh",kind="counter"\}/);
    expect(text).toMatch(new RegExp(`ems_device_up\\{device_uid="${uid}",[^}]*state="online"\\} 1`));
    expect(text).toMatch(
      /ems_bus_requests\{bus="tcp:127\.0\.0\.1:\d+",unit="1",device_uid="\d+"[^}]*\} [1-9]/,
    );
    expect(text).toMatch(/ems_bus_response_ms_mean\{/);
    expect(text).toMatch(/ems_scan_active 0/);
    expect(text).toMatch(/ems_api_requests_total\{method="GET",route="\/metrics",status="401"\} 2/);
  });

  it('a real Prometheus scrapes it with a bearer token and stores the values', async () => {
    const target = url().replace('http://', '');
    prom = await startPrometheus(target, token);
    const q = async (expr: string): Promise<PromVector['data']['result']> => {
      const r = await fetch(`http://127.0.0.1:${prom!.port}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await r.json()) as PromVector;
      expect(body.status).toBe('success');
      return body.data.result;
    };
    const up = await eventually(
      async () => {
        const res = await q('up{job="ems"}');
        return res[0]?.value[1] === '1' ? res : undefined;
      },
      'Prometheus to scrape the target',
      30_000,
    );
    expect(up).toHaveLength(1);
    const v = await eventually(async () => {
      const res = await q('ems_signal_value{key="voltage_l1"}');
      return res.length ? res : undefined;
    }, 'the voltage in Prometheus');
    expect(Number(v[0]!.value[1])).toBeGreaterThan(200);
    expect(v[0]!.metric.unit).toBe('V');
    const cycles = await q('ems_poll_cycles_total');
    expect(Number(cycles[0]?.value[1])).toBeGreaterThan(0);
  }, 60_000);

  it('a setting opens /metrics to loopback without a token; switched off it is 404', async () => {
    const engine = plant.rt.engine;
    const s = engine.integrations.current();
    await engine.integrations.configure({ ...s, prometheus: { enabled: true, openOnLoopback: true } });
    expect((await fetch(`${url()}/metrics`)).status).toBe(200);
    await engine.integrations.configure({ ...s, prometheus: { enabled: false, openOnLoopback: false } });
    expect((await fetch(`${url()}/metrics`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(
      404,
    );
    const st = engine.integrations.status().find((x) => x.name === 'prometheus');
    expect(st?.enabled).toBe(false);
  });
});

describe('GET /v1/integrations', () => {
  it('shows every integration state to admins only, secrets hidden', async () => {
    const engine = plant.rt.engine;
    engine.store.users.add('reader', 'a long password', 'api');
    const login = async (username: string): Promise<string> => {
      const r = await fetch(`${url()}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: 'a long password' }),
      });
      return ((await r.json()) as { token: string }).token;
    };
    expect((await fetch(`${url()}/v1/integrations`)).status).toBe(401);
    const reader = await login('reader');
    expect(
      (await fetch(`${url()}/v1/integrations`, { headers: { authorization: `Bearer ${reader}` } })).status,
    ).toBe(403);
    const s = engine.integrations.current();
    await engine.integrations.configure({
      ...s,
      prometheus: { enabled: true, openOnLoopback: false },
      influx: { ...s.influx, enabled: false, token: 'very secret' },
    });
    const boss = await login('boss');
    const r = await fetch(`${url()}/v1/integrations`, { headers: { authorization: `Bearer ${boss}` } });
    expect(r.status).toBe(200);
    const body = (await r.json()) as {
      integrations: { name: string; enabled: boolean }[];
      settings: unknown;
    };
    expect(body.integrations.map((i) => [i.name, i.enabled])).toEqual([
      ['mqtt', false],
      ['influx', false],
      ['prometheus', true],
      ['modbusGateway', false],
    ]);
    expect(JSON.stringify(body.settings)).not.toContain('very secret');
  });
});
