import type { Static } from '@sinclair/typebox';
import type { IntegrationsView } from '../../src-preload/contract/index.js';
import type { IntegrationsPatch } from '../../src-preload/contract/requests-integrations.js';
import type { Engine } from '../engine.js';
import {
  checkIntegrationSettings,
  IntegrationSettingsError,
  saveIntegrationSettings,
  type IntegrationSettings,
} from '../integrations/settings.js';
import type { Handlers } from './dispatch.js';
import { HandlerError } from './errors.js';

type Patch = Static<typeof IntegrationsPatch>;

/** Optional text settings: "" from a form means "none", so the key is dropped rather than kept empty. */
function withoutEmpty<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== '')) as T;
}

/** What the UI may see: secrets only as whether one is set. */
function view(engine: Engine): IntegrationsView {
  const s = engine.integrations.current();
  return {
    settings: {
      mqtt: {
        enabled: s.mqtt.enabled,
        url: s.mqtt.url,
        username: s.mqtt.username ?? '',
        passwordSet: Boolean(s.mqtt.password),
        caFile: s.mqtt.caFile ?? '',
        prefix: s.mqtt.prefix,
        discoveryPrefix: s.mqtt.discoveryPrefix,
        discovery: s.mqtt.discovery,
        queueLimit: s.mqtt.queueLimit,
      },
      influx: {
        enabled: s.influx.enabled,
        url: s.influx.url,
        version: s.influx.version,
        database: s.influx.database ?? '',
        org: s.influx.org ?? '',
        bucket: s.influx.bucket ?? '',
        username: s.influx.username ?? '',
        passwordSet: Boolean(s.influx.password),
        tokenSet: Boolean(s.influx.token),
        batchSize: s.influx.batchSize,
      },
      prometheus: { ...s.prometheus },
      modbusGateway: { ...s.modbusGateway, writable: [...s.modbusGateway.writable] },
    },
    status: engine.integrations.status(),
  };
}

/** The patch over the settings in force; a field left out keeps its value (passwords included). */
function merge(cur: IntegrationSettings, p: Patch): IntegrationSettings {
  return {
    mqtt: withoutEmpty({ ...cur.mqtt, ...(p.mqtt ?? {}) }),
    influx: withoutEmpty({ ...cur.influx, ...(p.influx ?? {}) }),
    prometheus: { ...cur.prometheus, ...(p.prometheus ?? {}) },
    modbusGateway: { ...cur.modbusGateway, ...(p.modbusGateway ?? {}) },
  };
}

/** MQTT, InfluxDB, Prometheus and the Modbus gateway: kept in the store, applied at once. */
export function integrationHandlers(
  engine: Engine,
): Pick<Handlers, 'integrations.get' | 'integrations.update'> {
  return {
    'integrations.get': () => view(engine),
    'integrations.update': async (patch) => {
      let next: IntegrationSettings;
      try {
        next = checkIntegrationSettings(merge(engine.integrations.current(), patch));
      } catch (e) {
        if (e instanceof IntegrationSettingsError) throw new HandlerError('bad_request', e.message);
        throw e;
      }
      saveIntegrationSettings(engine.store.meta, next);
      await engine.integrations.configure(next);
      return view(engine);
    },
  };
}
