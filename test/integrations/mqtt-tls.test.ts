import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src-main/sim/demo-plant.js';
import { eventually } from '../helpers/integration-peers.js';
import { requireTool, waitForPort } from '../helpers/peers.js';
import { startPlant, type Plant } from './fixture.js';

const openssl = (dir: string, args: string[]): void => {
  execFileSync('/usr/bin/openssl', args, { cwd: dir, stdio: 'ignore' });
};

/** A CA and, if `server`, a certificate it signs for 127.0.0.1 (EC keys: quick to make). */
function makeCa(dir: string, name: string, server: boolean): void {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(dir, [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.crt`,
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
  ]);
  if (!server) return;
  openssl(dir, ['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  writeFileSync(join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    `${name}.crt`,
    '-CAkey',
    `${name}.key`,
    '-CAcreateserial',
    '-out',
    'server.crt',
    '-days',
    '2',
    '-extfile',
    'san.cnf',
  ]);
}

describe('MQTT over TLS (mqtts:// with a CA file) against mosquitto', () => {
  let dir: string;
  let port: number;
  let broker: ChildProcess;
  let plant: Plant;
  const values: string[] = [];
  let sub: ChildProcess;

  beforeAll(async () => {
    requireTool('/usr/sbin/mosquitto', 'mosquitto');
    requireTool('/usr/bin/mosquitto_sub', 'mosquitto-clients');
    requireTool('/usr/bin/openssl', 'openssl');
    dir = mkdtempSync(join(tmpdir(), 'ems-mqtts-'));
    makeCa(dir, 'ems-test-ca', true);
    makeCa(dir, 'other-ca', false);
    port = await freePort();
    writeFileSync(
      join(dir, 'mosquitto.conf'),
      [
        `listener ${port} 127.0.0.1`,
        'allow_anonymous true',
        `cafile ${join(dir, 'ems-test-ca.crt')}`,
        `certfile ${join(dir, 'server.crt')}`,
        `keyfile ${join(dir, 'server.key')}`,
        `user ${userInfo().username}`,
        'log_dest none',
        '',
      ].join('\n'),
    );
    broker = spawn('/usr/sbin/mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
    await waitForPort(port);
    sub = spawn(
      '/usr/bin/mosquitto_sub',
      [
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '--cafile',
        join(dir, 'ems-test-ca.crt'),
        '-t',
        'ems/#',
        '-F',
        '%t %p',
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    sub.stdout?.on('data', (d: Buffer) => values.push(...d.toString().split('\n').filter(Boolean)));
    plant = await startPlant(
      [{ model: 'eastron-sdm630', unit: 1, keys: ['voltage_l1'], pollMs: 300 }],
      (s) => ({
        ...s,
        mqtt: {
          ...s.mqtt,
          enabled: true,
          url: `mqtts://127.0.0.1:${port}`,
          caFile: join(dir, 'ems-test-ca.crt'),
          discovery: false,
        },
      }),
    );
  }, 60_000);
  afterAll(async () => {
    await plant?.close();
    sub?.kill();
    broker?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const mqtt = () => plant.rt.engine.integrations.status().find((s) => s.name === 'mqtt')!;

  it('connects with the CA file and publishes values an outside TLS client receives', async () => {
    await eventually(() => (mqtt().connected ? true : undefined), 'mqtts connected');
    expect(mqtt().target).toContain(`mqtts://127.0.0.1:${port}`);
    const line = await eventually(() => values.find((v) => / \d/.test(v)), 'a value over TLS');
    const payload = line.slice(line.indexOf(' ') + 1);
    // The store writes samples in batches, so the value may reach the broker before its row is in.
    const stored = (): string[] =>
      (plant.rt.engine.store.db.prepare('SELECT v FROM samples').pluck().all() as number[]).map(String);
    await eventually(
      () => (stored().includes(payload) ? true : undefined),
      `${payload} among the stored samples`,
    );
    expect(line).toMatch(/^ems\/\d+\/\S+ -?\d/);
    await eventually(() => (mqtt().sent > 0 ? true : undefined), 'sent counted');
  }, 40_000);

  it('refuses a broker whose certificate another CA signed, and says why', async () => {
    const cur = plant.rt.engine.integrations.current();
    await plant.rt.engine.integrations.configure({
      ...cur,
      mqtt: { ...cur.mqtt, caFile: join(dir, 'other-ca.crt') },
    });
    const st = await eventually(() => (mqtt().lastError ? mqtt() : undefined), 'a TLS error');
    expect(st.connected).toBe(false);
    expect(st.lastError).toMatch(/certificate|self.signed|verify/i);
  }, 40_000);
});
