import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttPublisher } from '../../src-main/integrations/mqtt/publisher.js';
import { requireTool } from '../helpers/peers.js';
import { eventually, startMosquitto, type Peer } from '../helpers/integration-peers.js';
import { startPlant, type Plant } from './fixture.js';

interface Received {
  retained: boolean;
  topic: string;
  payload: string;
}

/** mosquitto_sub as the outside client: a persistent session (clean session off, QoS 1), so a broker restart loses nothing. */
function subscribe(port: number, filters: string[]): { got: Received[]; proc: ChildProcess } {
  requireTool('/usr/bin/mosquitto_sub', 'mosquitto-clients');
  const args = [
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-c',
    '-i',
    'ems-test-sub',
    '-q',
    '1',
    '-F',
    '%r %t %p',
  ];
  for (const f of filters) args.push('-t', f);
  const proc = spawn('/usr/bin/mosquitto_sub', args, { stdio: ['ignore', 'pipe', 'ignore'] });
  const got: Received[] = [];
  let buf = '';
  proc.stdout?.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const m = /^([01]) (\S+) ?(.*)$/.exec(line);
      if (m) got.push({ retained: m[1] === '1', topic: m[2]!, payload: m[3]! });
    }
  });
  return { got, proc };
}

let broker: Peer;
let plant: Plant;
let sub: ReturnType<typeof subscribe>;
const KEYS = ['voltage_l1', 'active_power', 'energy_import', 'power_factor', 'frequency'];

beforeAll(async () => {
  broker = await startMosquitto();
  sub = subscribe(broker.port, ['homeassistant/#', 'ems/#']);
  await new Promise((r) => setTimeout(r, 300));
  plant = await startPlant(
    [{ model: 'eastron-sdm630', unit: 1, keys: KEYS, pollMs: 300, serialNumber: 'SIM0004711' }],
    (s) => ({
      ...s,
      mqtt: { ...s.mqtt, enabled: true, url: `mqtt://127.0.0.1:${broker.port}` },
    }),
  );
}, 60_000);
afterAll(async () => {
  await plant?.close();
  sub?.proc.kill();
  await broker?.stop();
});

const mqttState = (): ReturnType<MqttPublisher['status']> =>
  plant.rt.engine.integrations.status().find((s) => s.name === 'mqtt')!;

describe('MQTT with Home Assistant discovery against mosquitto', () => {
  it('announces one HA device per meter and one entity per signal, retained, with the right classes', async () => {
    const dev = plant.devices[0]!;
    const configs = await eventually(() => {
      const c = sub.got.filter((m) => m.topic.startsWith('homeassistant/sensor/') && m.payload);
      return c.length >= KEYS.length ? c : undefined;
    }, 'discovery configs');
    const byKey = new Map<string, Record<string, unknown>>();
    for (const c of configs) {
      const p = JSON.parse(c.payload) as Record<string, unknown>;
      byKey.set(String(p.state_topic).split('/').at(-1)!, p);
      expect(c.topic).toMatch(new RegExp(`^homeassistant/sensor/emsc_[a-z0-9_]+_${dev.uid}/\\d+/config$`));
    }
    const v = byKey.get('voltage_l1')!;
    expect(v).toMatchObject({
      device_class: 'voltage',
      state_class: 'measurement',
      unit_of_measurement: 'V',
    });
    expect(v.unique_id).toMatch(/^emsc_[a-z0-9_]+_\d+_\d+$/);
    expect(v.availability).toEqual([{ topic: 'ems/status' }, { topic: `ems/${dev.uid}/availability` }]);
    expect(v.state_topic).toBe(`ems/${dev.uid}/${dev.loads[0]!.uid}/voltage_l1`);
    expect(v.device).toMatchObject({
      identifiers: [expect.stringMatching(/^emsc_/)],
      manufacturer: 'Eastron',
      model: expect.stringContaining('SDM630'),
      name: dev.label,
    });
    expect(byKey.get('active_power')).toMatchObject({
      device_class: 'power',
      state_class: 'measurement',
      unit_of_measurement: 'W',
    });
    expect(byKey.get('energy_import')).toMatchObject({
      device_class: 'energy',
      state_class: 'total_increasing',
      unit_of_measurement: 'kWh',
    });
    expect(byKey.get('frequency')).toMatchObject({ device_class: 'frequency', unit_of_measurement: 'Hz' });
    expect(byKey.get('power_factor')).toMatchObject({
      device_class: 'power_factor',
      state_class: 'measurement',
    });
    expect(new Set(configs.map((c) => JSON.parse(c.payload).unique_id)).size).toBe(KEYS.length);
    await eventually(() => sub.got.find((m) => m.topic === 'ems/status' && m.payload === 'online'), 'online');
    await eventually(
      () => sub.got.find((m) => m.topic === `ems/${dev.uid}/availability` && m.payload === 'online'),
      'device online',
    );
  });

  it('the HA device carries the serial number and firmware the meter reports, read once and kept', async () => {
    const dev = plant.devices[0]!;
    // The simulator's SDM630 answers serial 4711 (uint32 at 0xFC00) and firmware 1 (0xFC03).
    const withIdentity = await eventually(() => {
      const c = sub.got.filter(
        (m) =>
          m.topic.includes(`_${dev.uid}/`) &&
          m.topic.endsWith('/config') &&
          m.payload.includes('"sw_version":"1"'),
      );
      return c.length ? (JSON.parse(c.at(-1)!.payload) as { device: Record<string, unknown> }) : undefined;
    }, 'discovery with serial number and firmware');
    expect(withIdentity.device).toMatchObject({ serial_number: '4711', sw_version: '1' });
    expect(plant.rt.engine.commissioning.knownIdentity(dev.uid)).toMatchObject({
      serialNumber: '4711',
      firmware: '1',
    });
  });

  it('publishes each signal every poll; a broker stopped and restarted mid-run loses nothing, in order', async () => {
    const dev = plant.devices[0]!;
    const vTopic = `ems/${dev.uid}/${dev.loads[0]!.uid}/voltage_l1`;
    const vUid = dev.loads[0]!.signals.find((s) => s.key === 'voltage_l1')!.uid;
    await eventually(
      () => (sub.got.filter((m) => m.topic === vTopic).length >= 3 ? true : undefined),
      'states',
    );
    await broker.stop();
    await eventually(() => (mqttState().connected === false ? true : undefined), 'disconnected');
    await eventually(() => (mqttState().backlog >= 20 ? true : undefined), 'a backlog in the store');
    expect(plant.rt.engine.store.outbox.count('mqtt')).toBe(mqttState().backlog);
    await broker.start();
    await eventually(
      () => (mqttState().connected && mqttState().backlog === 0 ? true : undefined),
      'drained',
      30_000,
    );
    // Stop polling, let the last messages arrive, then compare with every sample the store kept.
    plant.rt.engine.poller.remove(dev.uid);
    await eventually(() => (mqttState().backlog === 0 ? true : undefined), 'drained again');
    await new Promise((r) => setTimeout(r, 1000));
    const stored = (
      plant.rt.engine.store.db
        .prepare('SELECT v FROM samples WHERE uid = ? ORDER BY t')
        .pluck()
        .all(vUid) as number[]
    ).map(String);
    const received = sub.got.filter((m) => m.topic === vTopic).map((m) => m.payload);
    // QoS 1 is at least once: a window cut by the outage may come twice, but every sample arrives, in order.
    let i = 0;
    for (const p of received) if (p === stored[i]) i++;
    expect(i, `received ${received.length}, stored ${stored.length}`).toBe(stored.length);
    expect(received.length).toBeLessThanOrEqual(stored.length + 200);
    expect(mqttState().dropped).toBe(0);
    expect(mqttState().sent).toBeGreaterThan(stored.length);
  }, 90_000);

  it('the broker publishes the last will (offline) when the connection dies, and online comes back', async () => {
    const pub = plant.rt.engine.integrations.get<MqttPublisher>('mqtt')!;
    const before = sub.got.length;
    (pub as unknown as { client: { stream: { destroy(): void } } }).client.stream.destroy();
    await eventually(
      () => sub.got.slice(before).find((m) => m.topic === 'ems/status' && m.payload === 'offline'),
      'last will',
    );
    await eventually(
      () => sub.got.slice(before).find((m) => m.topic === 'ems/status' && m.payload === 'online'),
      'online again',
    );
  }, 30_000);

  it('removing a device removes its entities (empty retained configs)', async () => {
    const dev = plant.devices[0]!;
    const topicsOf = sub.got
      .filter((m) => m.topic.includes(`_${dev.uid}/`) && m.topic.endsWith('/config') && m.payload)
      .map((m) => m.topic);
    plant.rt.engine.removeDevice(dev.uid);
    await eventually(
      () => {
        const emptied = new Set(
          sub.got.filter((m) => m.payload === '' && m.topic.endsWith('/config')).map((m) => m.topic),
        );
        return [...new Set(topicsOf)].every((t) => emptied.has(t)) ? true : undefined;
      },
      'empty configs',
      20_000,
    );
  }, 30_000);
});
