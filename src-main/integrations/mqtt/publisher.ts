import { readFileSync } from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { appVersion } from '../../bridge/version.js';
import type { Engine } from '../../engine.js';
import type { DeviceStatus } from '../../poller/poller.js';
import type { Sample } from '../../store/samples-repo.js';
import type { OutboxMessage } from '../../store/outbox-repo.js';
import { logger } from '../../util/log.js';
import type { DeviceInfo, SignalDirectory } from '../directory.js';
import type { MqttSettings } from '../settings.js';
import { IntegrationState, type Integration, type IntegrationStatus } from '../status.js';
import {
  bridgeConfig,
  discoveryConfigs,
  type DiscoveryConfig,
  type DiscoveryOptions,
} from './ha-discovery.js';
import { payloadOf, topics } from './topics.js';

const log = logger('mqtt');
const CHANNEL = 'mqtt';
/** Messages in flight at once while draining the queue (QoS 1: each waits for its PUBACK). */
const WINDOW = 200;
const SYNC_MS = 5000;

/**
 * Publishes every sample of the poller's stream to an MQTT broker, with Home Assistant discovery.
 * Every message goes through the store's bounded outbox first and leaves it only when the broker
 * acknowledged it (QoS 1), so an unreachable broker or a restart loses nothing within the bound.
 * Discovery configs are retained and sent again on every connect and when HA announces itself.
 */
export class MqttPublisher implements Integration {
  readonly state = new IntegrationState('mqtt');
  private readonly client: MqttClient;
  private readonly off: (() => void)[] = [];
  private draining = false;
  private stopped = false;
  private readonly discovery: DiscoveryOptions;
  /** Config topic → payload last published, per device uid; kept in the store across restarts. */
  private published: Record<string, Record<string, string>>;
  private readonly metaKey: string;
  private syncTimer: NodeJS.Timeout | undefined;
  /** Device uid → when its serial number and firmware were last asked for (once a minute at most). */
  private readonly identityAsked = new Map<number, number>();

  constructor(
    private readonly s: MqttSettings,
    private readonly engine: Engine,
    private readonly directory: SignalDirectory,
  ) {
    const url = new URL(s.url);
    this.state.target = `${url.protocol}//${url.host}`;
    this.state.backlog = engine.store.outbox.count(CHANNEL);
    const installation = engine.store.meta.serialNumber();
    this.discovery = {
      prefix: s.prefix,
      discoveryPrefix: s.discoveryPrefix,
      installation,
      version: appVersion(),
    };
    this.metaKey = `mqtt.discovery.${s.discoveryPrefix}`;
    this.published = parseJson(engine.store.meta.get(this.metaKey));
    const opts: IClientOptions = {
      clientId: `ems-commissioner-${installation}`.slice(0, 64),
      username: s.username,
      password: s.password,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      clean: true,
      // Our own queue in the store holds what waits; mqtt.js must not keep a second one in memory.
      queueQoSZero: false,
      will: { topic: topics.availability(s.prefix), payload: Buffer.from('offline'), qos: 1, retain: true },
      ...(s.caFile ? { ca: readFileSync(s.caFile), rejectUnauthorized: true } : {}),
    };
    this.client = mqtt.connect(s.url, opts);
    this.client.on('connect', () => void this.onConnect());
    this.client.on('close', () => {
      this.state.connected = false;
    });
    this.client.on('error', (err) => {
      this.state.fail(err);
      log.warn({ err: err.message }, 'mqtt error');
    });
    this.client.on('message', (topic, payload) => {
      // HA's birth message: it restarted and forgot non-retained state; tell it about our devices again.
      if (topic === `${s.discoveryPrefix}/status` && payload.toString() === 'online')
        void this.syncDiscovery(true);
    });

    const onSamples = (samples: Sample[]): void => this.enqueue(samples.flatMap((x) => this.stateMessage(x)));
    engine.poller.on('samples', onSamples);
    this.off.push(() => engine.poller.off('samples', onSamples));
    const lastState = new Map<number, string>();
    const onStatus = (st: DeviceStatus): void => {
      const v = st.state === 'online' ? 'online' : 'offline';
      if (lastState.get(st.uid) === v) return;
      lastState.set(st.uid, v);
      this.enqueue([msg(topics.deviceAvailability(s.prefix, st.uid), v, true)]);
    };
    engine.poller.on('status', onStatus);
    this.off.push(() => engine.poller.off('status', onStatus));
    this.syncTimer = setInterval(() => void this.syncDiscovery(false), SYNC_MS);
    this.syncTimer.unref();
  }

  private stateMessage(x: Sample): OutboxMessage[] {
    const info = this.directory.signal(x.uid);
    if (!info) return [];
    return [msg(topics.state(this.s.prefix, info.signal), payloadOf(x.v), false, x.t)];
  }

  private enqueue(messages: OutboxMessage[]): void {
    if (!messages.length || this.stopped) return;
    try {
      const dropped = this.engine.store.outbox.push(CHANNEL, messages, this.s.queueLimit);
      if (dropped) {
        this.state.dropped += dropped;
        log.warn({ dropped, limit: this.s.queueLimit }, 'mqtt queue full: oldest messages dropped');
      }
      this.state.backlog = this.engine.store.outbox.count(CHANNEL);
    } catch (err) {
      this.state.fail(err);
    }
    void this.drain();
  }

  private async onConnect(): Promise<void> {
    this.state.connected = true;
    log.info({ target: this.state.target }, 'mqtt connected');
    try {
      await this.client.publishAsync(topics.availability(this.s.prefix), 'online', { qos: 1, retain: true });
      if (this.s.discovery) {
        await this.client.subscribeAsync(`${this.s.discoveryPrefix}/status`, { qos: 1 });
        await this.syncDiscovery(true);
      }
    } catch (err) {
      this.state.fail(err);
    }
    void this.drain();
  }

  /**
   * Publishes discovery for every configured device and empties the config of every entity that is gone
   * (a removed device or signal). `all`: send unchanged configs again too (a broker without persistence
   * or a restarted HA has lost them).
   */
  private async syncDiscovery(all: boolean): Promise<void> {
    if (!this.s.discovery || !this.client.connected || this.stopped) return;
    const now: Record<string, Record<string, string>> = {};
    const bridge = bridgeConfig(this.discovery);
    now['bridge'] = { [bridge.topic]: bridge.payload };
    for (const d of this.directory.devices()) {
      this.askIdentity(d);
      const configs: DiscoveryConfig[] = discoveryConfigs(d, this.discovery);
      now[String(d.device.uid)] = Object.fromEntries(configs.map((c) => [c.topic, c.payload]));
    }
    const before = this.published;
    const sends: Promise<unknown>[] = [];
    const oldTopics = new Map<string, string>();
    for (const cfgs of Object.values(before)) for (const [t, p] of Object.entries(cfgs)) oldTopics.set(t, p);
    const newTopics = new Set<string>();
    for (const cfgs of Object.values(now))
      for (const [t, p] of Object.entries(cfgs)) {
        newTopics.add(t);
        if (all || oldTopics.get(t) !== p)
          sends.push(this.client.publishAsync(t, p, { qos: 1, retain: true }));
      }
    // An empty retained config removes the entity (and its device once it has none) from HA.
    for (const t of oldTopics.keys())
      if (!newTopics.has(t)) sends.push(this.client.publishAsync(t, '', { qos: 1, retain: true }));
    try {
      await Promise.all(sends);
      this.published = now;
      this.engine.store.meta.set(this.metaKey, JSON.stringify(now));
      this.state.sent += sends.length;
    } catch (err) {
      this.state.fail(err);
    }
  }

  /**
   * HA shows a device's serial number and firmware: a Modbus meter is asked for them once (through its
   * bus, behind polling) and the answer kept; discovery goes out without them meanwhile and again with them.
   */
  private askIdentity(d: DeviceInfo): void {
    const p = d.device.protocol;
    if ((p !== 'rtu' && p !== 'tcp') || !d.device.model || !d.device.enable) return;
    if (d.firmware !== null || this.engine.commissioning.knownIdentity(d.device.uid)) return;
    const last = this.identityAsked.get(d.device.uid) ?? 0;
    if (Date.now() - last < 60_000) return;
    this.identityAsked.set(d.device.uid, Date.now());
    this.engine.commissioning
      .readIdentity(d.device.uid)
      .then(() => this.directory.rebuild())
      .catch((err: unknown) =>
        log.debug({ uid: d.device.uid, err: (err as Error).message }, 'serial number and firmware not read'),
      );
  }

  /** Sends the queue in order, a window at a time; a message leaves the store once the broker has it. */
  private async drain(): Promise<void> {
    if (this.draining || this.stopped) return;
    this.draining = true;
    try {
      const outbox = this.engine.store.outbox;
      while (this.client.connected && !this.stopped) {
        const batch = outbox.peek(CHANNEL, WINDOW);
        const last = batch.at(-1);
        if (!last) break;
        await Promise.all(
          batch.map((m) => this.client.publishAsync(m.topic, m.payload, { qos: m.qos, retain: m.retain })),
        );
        outbox.ack(CHANNEL, last.id);
        this.state.sent += batch.length;
        this.state.backlog = outbox.count(CHANNEL);
      }
    } catch (err) {
      // The connection went away mid-window: what was not acknowledged is still in the store.
      this.state.fail(err);
    } finally {
      this.draining = false;
    }
  }

  status(): IntegrationStatus {
    return this.state.snapshot(true);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.syncTimer);
    for (const f of this.off) f();
    if (this.client.connected) {
      // A clean shutdown says offline itself (the last will covers a crash).
      await this.client
        .publishAsync(topics.availability(this.s.prefix), 'offline', { qos: 1, retain: true })
        .catch(() => undefined);
    }
    await this.client.endAsync(true).catch(() => undefined);
    this.state.connected = false;
  }
}

function msg(topic: string, payload: string, retain: boolean, t = Date.now()): OutboxMessage {
  return { topic, payload, qos: 1, retain, t };
}

function parseJson(raw: string | undefined): Record<string, Record<string, string>> {
  try {
    const v: unknown = JSON.parse(raw ?? '{}');
    return v && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, Record<string, string>>)
      : {};
  } catch {
    return {};
  }
}

export function startMqtt(s: MqttSettings, engine: Engine, directory: SignalDirectory): Promise<Integration> {
  return Promise.resolve(new MqttPublisher(s, engine, directory));
}
