import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntegrationsView } from '../../src-preload/contract/index.js';
import { readIntegrationSettings } from '../../src-main/integrations/settings.js';
import { eventually, startMosquitto, type Peer } from '../helpers/integration-peers.js';
import { rig, type Rig } from './rig.js';

const data = (r: { ok: boolean; data?: unknown; message?: string }): IntegrationsView => {
  if (!r.ok) throw new Error(`call failed: ${r.message}`);
  return r.data as IntegrationsView;
};

describe('integrations over IPC', () => {
  let r: Rig;
  let broker: Peer;
  beforeAll(async () => {
    broker = await startMosquitto();
    r = await rig();
  }, 60_000);
  afterAll(async () => {
    await r?.close();
    await broker?.stop();
  });

  it('starts with everything off and reports each integration', async () => {
    const v = data(await r.call('integrations.get'));
    expect(v.status.map((s) => [s.name, s.enabled])).toEqual([
      ['mqtt', false],
      ['influx', false],
      ['prometheus', false],
      ['modbusGateway', false],
    ]);
    expect(v.settings.mqtt).toMatchObject({ enabled: false, passwordSet: false });
  });

  it('configures MQTT against mosquitto: saved, connected, the password never returned', async () => {
    const url = `mqtt://127.0.0.1:${broker.port}`;
    const v = data(
      await r.call('integrations.update', {
        mqtt: { enabled: true, url, username: 'ems', password: 'broker-secret' },
      }),
    );
    expect(v.settings.mqtt).toMatchObject({ enabled: true, url, username: 'ems', passwordSet: true });
    expect(JSON.stringify(v)).not.toContain('broker-secret');
    expect(readIntegrationSettings(r.rt.engine.store.meta).mqtt).toMatchObject({
      enabled: true,
      url,
      password: 'broker-secret',
    });
    const st = await eventually(async () => {
      const s = data(await r.call('integrations.get')).status.find((x) => x.name === 'mqtt');
      return s?.connected ? s : undefined;
    }, 'MQTT connected');
    expect(st).toMatchObject({
      enabled: true,
      connected: true,
      target: expect.stringContaining(String(broker.port)),
    });
    expect(JSON.stringify(st)).not.toContain('broker-secret');

    // A later change without a password keeps it; "" removes it.
    data(await r.call('integrations.update', { mqtt: { discovery: false } }));
    expect(readIntegrationSettings(r.rt.engine.store.meta).mqtt.password).toBe('broker-secret');
    const cleared = data(await r.call('integrations.update', { mqtt: { password: '' } }));
    expect(cleared.settings.mqtt.passwordSet).toBe(false);
    expect(readIntegrationSettings(r.rt.engine.store.meta).mqtt.password).toBeUndefined();

    // Broker gone: the state says so.
    await broker.stop();
    await eventually(async () => {
      const s = data(await r.call('integrations.get')).status.find((x) => x.name === 'mqtt');
      return s && s.connected === false ? s : undefined;
    }, 'MQTT disconnected');
    await broker.start();
    await eventually(
      async () => {
        const s = data(await r.call('integrations.get')).status.find((x) => x.name === 'mqtt');
        return s?.connected ? s : undefined;
      },
      'MQTT reconnected',
      30_000,
    );
  }, 90_000);

  it('refuses bad settings with a clear reason and keeps what was saved', async () => {
    const before = readIntegrationSettings(r.rt.engine.store.meta);
    expect(await r.call('integrations.update', { mqtt: { url: 'http://x' } })).toMatchObject({
      ok: false,
      code: 'bad_request',
      message: expect.stringMatching(/mqtt:.*mqtts:/),
    });
    expect(await r.call('integrations.update', { mqtt: { bogus: 1 } })).toMatchObject({
      ok: false,
      code: 'bad_request',
    });
    expect(await r.call('integrations.update', {})).toMatchObject({ ok: false, code: 'bad_request' });
    expect(
      await r.call('integrations.update', { influx: { enabled: true, version: 2, org: '' } }),
    ).toMatchObject({ ok: false, code: 'bad_request', message: expect.stringMatching(/org and bucket/) });
    expect(readIntegrationSettings(r.rt.engine.store.meta)).toEqual(before);
  });

  it('is for admins when a caller is signed in', async () => {
    const reader = { caller: { username: 'reader', role: 'api' as const } };
    expect(await r.call('integrations.get', undefined, reader)).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await r.call('integrations.update', { prometheus: { enabled: true } }, reader)).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    const admin = { caller: { username: 'boss', role: 'admin' as const } };
    const v = data(await r.call('integrations.update', { prometheus: { enabled: true } }, admin));
    expect(v.status.find((s) => s.name === 'prometheus')?.enabled).toBe(true);
  });
});
