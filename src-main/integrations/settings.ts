import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { MetaRepo } from '../store/meta-repo.js';

const Host = Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.:_\\[\\]-]+$' });
const Port = Type.Integer({ minimum: 0, maximum: 65535 });

export const MqttSettings = Type.Object(
  {
    enabled: Type.Boolean(),
    /** mqtt://host:port or mqtts://host:port */
    url: Type.String({ maxLength: 500 }),
    username: Type.Optional(Type.String({ maxLength: 200 })),
    password: Type.Optional(Type.String({ maxLength: 500 })),
    /** PEM file with the CA that signed the broker's certificate (mqtts). */
    caFile: Type.Optional(Type.String({ maxLength: 1000 })),
    prefix: Type.String({ minLength: 1, maxLength: 100, pattern: '^[^#+\\s]+$' }),
    discoveryPrefix: Type.String({ minLength: 1, maxLength: 100, pattern: '^[^#+\\s]+$' }),
    discovery: Type.Boolean(),
    /** Messages kept in the store while the broker is unreachable; beyond it the oldest are dropped. */
    queueLimit: Type.Integer({ minimum: 100, maximum: 10_000_000 }),
  },
  { additionalProperties: false },
);
export type MqttSettings = Static<typeof MqttSettings>;

export const InfluxSettings = Type.Object(
  {
    enabled: Type.Boolean(),
    /** Base URL of the server: http://host:8086 */
    url: Type.String({ maxLength: 500 }),
    /** 1: /write?db=…; 2: /api/v2/write?org=…&bucket=… (also InfluxDB 3). */
    version: Type.Union([Type.Literal(1), Type.Literal(2)]),
    database: Type.Optional(Type.String({ maxLength: 200 })),
    org: Type.Optional(Type.String({ maxLength: 200 })),
    bucket: Type.Optional(Type.String({ maxLength: 200 })),
    token: Type.Optional(Type.String({ maxLength: 1000 })),
    username: Type.Optional(Type.String({ maxLength: 200 })),
    password: Type.Optional(Type.String({ maxLength: 500 })),
    /** Lines per HTTP request. */
    batchSize: Type.Integer({ minimum: 1, maximum: 50_000 }),
  },
  { additionalProperties: false },
);
export type InfluxSettings = Static<typeof InfluxSettings>;

export const PrometheusSettings = Type.Object(
  {
    enabled: Type.Boolean(),
    /** Scrapes from loopback need no token (a Prometheus on the same machine). */
    openOnLoopback: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type PrometheusSettings = Static<typeof PrometheusSettings>;

export const GatewaySettings = Type.Object(
  {
    enabled: Type.Boolean(),
    host: Host,
    port: Port,
    allowRemote: Type.Boolean(),
    /** Device uids whose registers clients may write through the gateway (read-only otherwise). */
    writable: Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 1000 }),
  },
  { additionalProperties: false },
);
export type GatewaySettings = Static<typeof GatewaySettings>;

export const IntegrationSettings = Type.Object(
  {
    mqtt: MqttSettings,
    influx: InfluxSettings,
    prometheus: PrometheusSettings,
    modbusGateway: GatewaySettings,
  },
  { additionalProperties: false },
);
export type IntegrationSettings = Static<typeof IntegrationSettings>;
export type IntegrationName = keyof IntegrationSettings;
export const INTEGRATION_NAMES: readonly IntegrationName[] = [
  'mqtt',
  'influx',
  'prometheus',
  'modbusGateway',
];

/** Everything off: an integration runs only when a technician switched it on. */
export const DEFAULT_INTEGRATIONS: IntegrationSettings = {
  mqtt: {
    enabled: false,
    url: 'mqtt://127.0.0.1:1883',
    prefix: 'ems',
    discoveryPrefix: 'homeassistant',
    discovery: true,
    queueLimit: 100_000,
  },
  influx: { enabled: false, url: 'http://127.0.0.1:8086', version: 1, database: 'ems', batchSize: 5000 },
  prometheus: { enabled: false, openOnLoopback: false },
  modbusGateway: { enabled: false, host: '127.0.0.1', port: 5502, allowRemote: false, writable: [] },
};

export class IntegrationSettingsError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'IntegrationSettingsError';
  }
}

/** Checks a complete settings object: the schema, then what the schema cannot say (URL schemes, required pairs). */
export function checkIntegrationSettings(value: unknown): IntegrationSettings {
  const first = Value.Errors(IntegrationSettings, value).First();
  if (first) throw new IntegrationSettingsError(`${first.path || '/'}: ${first.message}`, first.path);
  const s = value as IntegrationSettings;
  const url = (u: string, schemes: string[], path: string): void => {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      throw new IntegrationSettingsError(`${path}: "${u}" is not a URL`, path);
    }
    if (!schemes.includes(parsed.protocol))
      throw new IntegrationSettingsError(
        `${path}: use ${schemes.join(' or ')} (got ${parsed.protocol})`,
        path,
      );
  };
  if (s.mqtt.enabled) url(s.mqtt.url, ['mqtt:', 'mqtts:'], '/mqtt/url');
  if (s.influx.enabled) {
    url(s.influx.url, ['http:', 'https:'], '/influx/url');
    if (s.influx.version === 1 && !s.influx.database)
      throw new IntegrationSettingsError(
        '/influx/database: InfluxDB 1.x needs a database',
        '/influx/database',
      );
    if (s.influx.version === 2 && (!s.influx.org || !s.influx.bucket))
      throw new IntegrationSettingsError(
        '/influx/bucket: InfluxDB 2.x/3.x needs org and bucket',
        '/influx/bucket',
      );
  }
  return s;
}

const KEY = 'settings.integrations';

/** The saved settings merged over the defaults (a damaged value falls back to "all off"). */
export function readIntegrationSettings(meta: MetaRepo): IntegrationSettings {
  const raw = meta.get(KEY);
  if (!raw) return structuredClone(DEFAULT_INTEGRATIONS);
  try {
    const saved = JSON.parse(raw) as Partial<Record<IntegrationName, object>>;
    const merged = Object.fromEntries(
      INTEGRATION_NAMES.map((n) => [n, { ...DEFAULT_INTEGRATIONS[n], ...(saved[n] ?? {}) }]),
    );
    return checkIntegrationSettings(merged);
  } catch {
    return structuredClone(DEFAULT_INTEGRATIONS);
  }
}

export function saveIntegrationSettings(meta: MetaRepo, s: IntegrationSettings): void {
  meta.set(KEY, JSON.stringify(checkIntegrationSettings(s)));
}

/** What leaves the engine for a UI or the API: secrets replaced by whether one is set. */
export function redactSettings(s: IntegrationSettings): IntegrationSettings {
  const r = structuredClone(s);
  if (r.mqtt.password) r.mqtt.password = '********';
  if (r.influx.password) r.influx.password = '********';
  if (r.influx.token) r.influx.token = '********';
  return r;
}
