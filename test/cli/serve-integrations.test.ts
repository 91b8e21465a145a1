import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError, type Io } from '../../src-main/cli/args.js';
import { integrationsFromFlags, parseHostPort } from '../../src-main/cli/commands/serve-integrations.js';
import { DEFAULT_INTEGRATIONS } from '../../src-main/integrations/settings.js';
import { runCli, startServe } from '../helpers/cli.js';

const io = (stdin = ''): Io => ({ out: () => undefined, err: () => undefined, readStdin: async () => stdin });
const base = (): typeof DEFAULT_INTEGRATIONS => structuredClone(DEFAULT_INTEGRATIONS);

describe('serve integration flags', () => {
  it('switch integrations on, secrets from standard input in flag order', async () => {
    const s = await integrationsFromFlags(
      base(),
      {
        mqtt: 'mqtts://broker.local:8883',
        'mqtt-user': 'ems',
        'mqtt-password-stdin': true,
        'mqtt-ca': '/etc/ca.pem',
        influx: 'http://127.0.0.1:8086',
        'influx-org': 'site',
        'influx-bucket': 'meters',
        'influx-token-stdin': true,
        metrics: true,
        'modbus-server': '[::1]:5502',
        'modbus-writable': '4,7',
      },
      io('pw one\ntok two\n'),
    );
    expect(s.mqtt).toMatchObject({
      enabled: true,
      url: 'mqtts://broker.local:8883',
      username: 'ems',
      password: 'pw one',
      caFile: '/etc/ca.pem',
    });
    expect(s.influx).toMatchObject({
      enabled: true,
      version: 2,
      org: 'site',
      bucket: 'meters',
      token: 'tok two',
    });
    expect(s.prometheus).toEqual({ enabled: true, openOnLoopback: false });
    expect(s.modbusGateway).toMatchObject({ enabled: true, host: '::1', port: 5502, writable: [4, 7] });
    expect((await integrationsFromFlags(base(), {}, io())).mqtt.enabled).toBe(false);
  });

  it.each([
    [{ 'mqtt-user': 'x' }, /--mqtt-user needs --mqtt/],
    [{ mqtt: 'http://x:1' }, /use mqtt: or mqtts:/],
    [{ mqtt: 'not a url' }, /is not a URL/],
    [{ influx: 'http://x:8086', 'influx-org': 'o' }, /needs org and bucket/],
    [{ influx: 'http://x:8086', 'influx-db': 'a', 'influx-org': 'o' }, /exclude each other/],
    [{ mqtt: 'mqtt://x:1', 'mqtt-password-stdin': true }, /no MQTT password on standard input/],
    [{ 'modbus-server': 'localhost' }, /must be HOST:PORT/],
    [{ 'modbus-server': '127.0.0.1:70000' }, /must be HOST:PORT/],
    [{ 'modbus-server': '127.0.0.1:502', 'modbus-writable': 'a' }, /device uids/],
    [{ mqtt: 'mqtt://x:1', 'mqtt-prefix': 'a/#' }, /prefix/],
  ])('refuses %o', async (flags, msg) => {
    const p = integrationsFromFlags(base(), flags, io());
    await expect(p).rejects.toBeInstanceOf(UsageError);
    await expect(p).rejects.toThrow(msg);
  });

  it('parses IPv6 and names in HOST:PORT', () => {
    expect(parseHostPort('localhost:502', 'x')).toEqual({ host: 'localhost', port: 502 });
    expect(() => parseHostPort('[zz]:1', 'x')).toThrow(UsageError);
  });

  it('the real command: exit 2 on a bad flag, and serve --metrics answers scrapes', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'ems-serve-int-')), 'ems.db');
    const bad = await runCli(['serve', '--db', db, '--modbus-server', 'nowhere']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--modbus-server must be HOST:PORT/);
    const srv = await startServe(['--db', db, '--port', '0', '--metrics', '--metrics-open-loopback']);
    try {
      const r = await fetch(`${srv.url}/metrics`);
      expect(r.status).toBe(200);
      expect(await r.text()).toMatch(/# TYPE ems_poll_cycles_total counter/);
      expect(srv.stderr()).toMatch(/prometheus: on/);
    } finally {
      srv.proc.kill('SIGTERM');
    }
  }, 120_000);
});
