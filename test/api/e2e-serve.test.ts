import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startServe } from '../helpers/cli.js';
import { sleep } from '../helpers/peers.js';

type Realtime = Record<string, { uid: number; v: number | string | null; t: number; s: number }>;
let stop: (() => void) | undefined;
afterAll(() => stop?.());

describe('ems-commissioner serve --demo over HTTP', () => {
  it('logs in, reads realtime values that change, streams them, answers telemetry, and shuts down with a stream open', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'ems-e2e-')), 'ems.db');
    const add = await runCli(
      ['users', 'add', 'tech', '--role', 'api', '--password-stdin', '--db', db],
      'a long password\n',
    );
    expect(add.code, add.stderr).toBe(0);
    const srv = await startServe(['--db', db, '--port', '0', '--demo']);
    stop = () => srv.proc.kill('SIGKILL');
    const base = srv.url;

    expect(await (await fetch(`${base}/ver`)).json()).toEqual({ api_ver: 1 });
    expect((await fetch(`${base}/docs`)).headers.get('content-type')).toBe('text/html; charset=utf-8');
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(
      Object.keys(doc.paths).every((p) =>
        /^\/(v1|ver|metrics|openapi\.json|api\/telemetry|telemetry)/.test(p),
      ),
    ).toBe(true);
    expect((await fetch(`${base}/v1/realtime`)).status).toBe(401);
    const bad = await fetch(`${base}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username":"tech","password":"nope nope"}',
    });
    expect(bad.status).toBe(401);
    const res = await fetch(`${base}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'tech', password: 'a long password' }),
    });
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}` };

    const read = async (): Promise<Realtime> =>
      ((await (await fetch(`${base}/v1/realtime`, { headers: auth })).json()) as { realtime: Realtime })
        .realtime;
    let first: Realtime = {};
    for (let i = 0; i < 40 && Object.keys(first).length < 10; i++) {
      await sleep(250);
      first = await read();
    }
    expect(Object.keys(first).length).toBeGreaterThanOrEqual(10);
    await sleep(2500);
    const second = await read();
    const moved = Object.values(second).filter((x) => first[x.uid] && x.t > first[x.uid]!.t);
    const changed = moved.filter((x) => x.v !== first[x.uid]!.v);
    expect(moved.length).toBeGreaterThan(5);
    expect(changed.length).toBeGreaterThan(3);
    expect(Object.values(second).every((x) => x.s === 1 || x.s === 0 || x.s === 2)).toBe(true);

    // Telemetry API with the same JWT: the first load's voltage by decimal uid.
    const loads = (
      (await (await fetch(`${base}/v1/loads`, { headers: auth })).json()) as {
        loads: Record<string, { uid: number }>;
      }
    ).loads;
    const lid = Object.keys(loads)[0]!;
    const now = await fetch(`${base}/api/telemetry/v1/now?devices[${lid}]=voltage_l1`, {
      headers: { 'x-enapter-auth-token': token },
    });
    const nowBody = (await now.json()) as {
      devices: Record<string, Record<string, { value: unknown; timestamp: number }>>;
    };
    expect(typeof nowBody.devices[lid]?.voltage_l1?.value).toBe('number');

    // Live stream: at least one batch arrives; the stream is still open when the server is told to stop.
    const stream = await fetch(`${base}/v1/stream?token=${encodeURIComponent(token)}`);
    const reader = stream.body!.getReader();
    let text = '';
    const deadline = Date.now() + 5000;
    while (!text.includes('event: samples') && Date.now() < deadline)
      text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain('event: samples');
    const exited = new Promise<number | null>((resolve) => srv.proc.once('exit', (code) => resolve(code)));
    srv.proc.kill('SIGTERM');
    const code = await Promise.race([exited, sleep(8000).then(() => 'timeout' as const)]);
    expect(code).toBe(0);
    stop = undefined;
  });
});
