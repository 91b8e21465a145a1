import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startServe } from '../helpers/cli.js';
import { sleep } from '../helpers/peers.js';

let stop: (() => void) | undefined;
afterAll(() => stop?.());

interface Signal {
  uid: number;
  lid: number;
}

describe('serve --demo: text signals of the P1 and M-Bus meters over HTTP (issue 12.2)', () => {
  it('stores and serves the text message and equipment identifier in /now, realtime and the CSV', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'ems-e2e-text-')), 'ems.db');
    const add = await runCli(
      ['users', 'add', 'tech', '--role', 'api', '--password-stdin', '--db', db],
      'a long password\n',
    );
    expect(add.code, add.stderr).toBe(0);
    const srv = await startServe(['--db', db, '--port', '0', '--demo']);
    stop = () => srv.proc.kill('SIGKILL');
    const base = srv.url;
    const login = await fetch(`${base}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'tech', password: 'a long password' }),
    });
    const { token } = (await login.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}` };
    const loads = (
      (await (await fetch(`${base}/v1/loads?protocol=P1`, { headers: auth })).json()) as {
        loads: Record<string, { uid: number; label: string }>;
      }
    ).loads;
    const electricity = Object.values(loads).find((l) => l.label === 'Electricity');
    expect(electricity).toBeDefined();
    const lid = electricity!.uid;

    type Now = { devices: Record<string, Record<string, { value: unknown; timestamp: number }>> };
    /** /now for one device, asked again until `until` has a value (the demo's meters are read by then). */
    const nowOnceThere = async (id: number, attrs: string, until: string): Promise<Now> => {
      let answer: Now = { devices: {} };
      for (let i = 0; i < 60; i++) {
        answer = (await (
          await fetch(`${base}/api/telemetry/v1/now?devices[${id}]=${attrs}`, {
            headers: { 'x-enapter-auth-token': token },
          })
        ).json()) as Now;
        if (answer.devices[id]?.[until]) break;
        await sleep(250);
      }
      return answer;
    };
    let now = await nowOnceThere(lid, 'text_message,equipment_id,tariff', 'equipment_id');
    expect(now.devices[lid]?.text_message?.value).toBe('Demo plant: meter reading, tariff 2 from 07:00');
    expect(now.devices[lid]?.equipment_id?.value).toBe('E0012345678901234');
    expect(typeof now.devices[lid]?.tariff?.value).toBe('number');

    const signals = (
      (await (await fetch(`${base}/v1/loads/${lid}/signals`, { headers: auth })).json()) as {
        signals: Record<string, Signal & { si: number }>;
      }
    ).signals;
    const realtime = (
      (await (await fetch(`${base}/v1/loads/${lid}/realtime`, { headers: auth })).json()) as {
        realtime: Record<string, { v: unknown; si: number }>;
      }
    ).realtime;
    const texts = Object.values(realtime).filter((r) => typeof r.v === 'string');
    expect(texts.map((r) => r.v).sort()).toEqual([
      'Demo plant: meter reading, tariff 2 from 07:00',
      'E0012345678901234',
    ]);
    expect(Object.keys(signals).length).toBeGreaterThan(texts.length);

    await sleep(1500); // the store writes once a second
    const to = Math.ceil(Date.now() / 1000);
    const r = await fetch(`${base}/api/telemetry/v1/timeseries`, {
      method: 'POST',
      headers: { 'x-enapter-auth-token': token },
      body: JSON.stringify({
        from: to - 30,
        to,
        granularity: '10s',
        aggregation: 'last',
        telemetry: [
          { device: String(lid), attribute: 'text_message' },
          { device: String(lid), attribute: 'equipment_id' },
        ],
      }),
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-enapter-timeseries-data-types')).toBe('string, string');
    const rows = (await r.text()).split('\n').filter(Boolean).slice(1);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.at(-1)).toMatch(/^\d+,"Demo plant: meter reading, tariff 2 from 07:00",E0012345678901234$/);

    const avg = await fetch(`${base}/api/telemetry/v1/timeseries`, {
      method: 'POST',
      headers: { 'x-enapter-auth-token': token },
      body: JSON.stringify({
        from: to - 30,
        to,
        granularity: '10s',
        telemetry: [{ device: String(lid), attribute: 'equipment_id', aggregation: 'avg' }],
      }),
    });
    expect(avg.status).toBe(400);
    const err = ((await avg.json()) as { errors: { code: string; message: string }[] }).errors[0];
    expect(err?.code).toBe('unsupported_aggregation');
    expect(err?.message).toContain('"equipment_id"');

    // The M-Bus heat meter: its fabrication number (every digit, as text) and the status byte in words.
    const mbus = Object.values(
      (
        (await (await fetch(`${base}/v1/loads?protocol=meterBus`, { headers: auth })).json()) as {
          loads: Record<string, { uid: number }>;
        }
      ).loads,
    );
    expect(mbus).toHaveLength(1);
    const heat = mbus[0]!.uid;
    now = await nowOnceThere(heat, 'fabrication_number,meter_status', 'meter_status');
    expect(now.devices[heat]?.fabrication_number?.value).toBe('20250105');
    expect(now.devices[heat]?.meter_status?.value).toBe('OK');
  }, 120_000);
});
