import type { Engine } from '../engine.js';
import { logger } from '../util/log.js';
import { SignalDirectory } from './directory.js';
import {
  checkIntegrationSettings,
  DEFAULT_INTEGRATIONS,
  INTEGRATION_NAMES,
  type IntegrationName,
  type IntegrationSettings,
} from './settings.js';
import { IntegrationState, type Integration, type IntegrationStatus } from './status.js';

const log = logger('integrations');

/** Builds one integration from its settings; each lives in its own folder and only sees what it is given. */
export type IntegrationFactory<N extends IntegrationName> = (
  settings: IntegrationSettings[N],
  ctx: IntegrationContext,
) => Promise<Integration>;

export interface IntegrationContext {
  engine: Engine;
  directory: SignalDirectory;
  hub: Integrations;
}

/**
 * Every outside integration (MQTT, InfluxDB, Prometheus, Modbus gateway): all off until configured.
 * Each subscribes to the poller's sample stream (the one the APIs use) and keeps its own backlog and
 * state; `configure` stops what runs and starts what the new settings switch on.
 */
export class Integrations {
  readonly directory: SignalDirectory;
  private settings: IntegrationSettings = structuredClone(DEFAULT_INTEGRATIONS);
  private readonly running = new Map<IntegrationName, Integration>();
  private readonly failed = new Map<IntegrationName, IntegrationState>();
  private readonly factories: Partial<{ [N in IntegrationName]: IntegrationFactory<N> }> = {};
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly engine: Engine) {
    this.directory = new SignalDirectory(engine.store.config, engine.catalogue, engine.library, 5000, (uid) =>
      engine.commissioning.knownIdentity(uid),
    );
    // Each integration's code (and its library: mqtt, prom-client, …) loads when it is switched on.
    this.factories.mqtt = async (s, ctx) =>
      (await import('./mqtt/publisher.js')).startMqtt(s, ctx.engine, ctx.directory);
    this.factories.influx = async (s, ctx) =>
      (await import('./influx/writer.js')).startInflux(s, ctx.engine, ctx.directory);
    this.factories.modbusGateway = async (s, ctx) =>
      (await import('./modbus-gateway/server.js')).startGateway(s, ctx.engine);
    this.factories.prometheus = async (s, ctx) =>
      new (await import('./prometheus/exporter.js')).PrometheusExporter({
        engine: ctx.engine,
        directory: ctx.directory,
        integrations: () => ctx.hub.status(),
      });
  }

  current(): IntegrationSettings {
    return structuredClone(this.settings);
  }

  /** Applies settings: every integration whose settings changed is stopped and, if enabled, started again. */
  configure(next: IntegrationSettings): Promise<void> {
    const s = checkIntegrationSettings(next);
    const run = async (): Promise<void> => {
      const prev = this.settings;
      this.settings = structuredClone(s);
      for (const name of INTEGRATION_NAMES) {
        const same = JSON.stringify(prev[name]) === JSON.stringify(s[name]) && this.running.has(name);
        if (same) continue;
        await this.stopOne(name);
        if (s[name].enabled) await this.startOne(name);
      }
    };
    this.chain = this.chain.then(run, run);
    return this.chain;
  }

  private async startOne<N extends IntegrationName>(name: N): Promise<void> {
    const factory = this.factories[name] as IntegrationFactory<N> | undefined;
    this.failed.delete(name);
    if (!factory) return;
    try {
      const it = await factory(this.settings[name], {
        engine: this.engine,
        directory: this.directory,
        hub: this,
      });
      this.running.set(name, it);
      log.info({ integration: name, target: it.state.target }, 'integration started');
    } catch (err) {
      // A bad address or a port in use must not stop the engine: the state shows why it is not running.
      const st = new IntegrationState(name);
      st.fail(err);
      this.failed.set(name, st);
      log.error({ integration: name, err: (err as Error).message }, 'integration could not start');
    }
  }

  private async stopOne(name: IntegrationName): Promise<void> {
    const it = this.running.get(name);
    this.running.delete(name);
    this.failed.delete(name);
    if (it)
      await it.stop().catch((err: Error) => log.warn({ integration: name, err: err.message }, 'stop failed'));
  }

  get<T extends Integration>(name: IntegrationName): T | undefined {
    return this.running.get(name) as T | undefined;
  }

  status(): IntegrationStatus[] {
    return INTEGRATION_NAMES.map((name) => {
      const it = this.running.get(name);
      if (it) return it.status();
      const failed = this.failed.get(name);
      if (failed) return { ...failed.snapshot(this.settings[name].enabled), connected: false };
      return new IntegrationState(name).snapshot(false);
    });
  }

  async close(): Promise<void> {
    await this.chain.catch(() => undefined);
    for (const name of [...this.running.keys()]) await this.stopOne(name);
  }
}
