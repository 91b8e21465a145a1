import { isIP } from 'node:net';
import {
  checkIntegrationSettings,
  IntegrationSettingsError,
  type IntegrationSettings,
} from '../../integrations/settings.js';
import { UsageError, type Io } from '../args.js';

/** The `serve` flags that switch integrations on; what they leave out comes from the UI's saved settings. */
export const INTEGRATION_FLAGS = {
  mqtt: { type: 'string' },
  'mqtt-user': { type: 'string' },
  'mqtt-password-stdin': { type: 'boolean' },
  'mqtt-prefix': { type: 'string' },
  'mqtt-discovery-prefix': { type: 'string' },
  'mqtt-ca': { type: 'string' },
  influx: { type: 'string' },
  'influx-db': { type: 'string' },
  'influx-org': { type: 'string' },
  'influx-bucket': { type: 'string' },
  'influx-user': { type: 'string' },
  'influx-token-stdin': { type: 'boolean' },
  metrics: { type: 'boolean' },
  'metrics-open-loopback': { type: 'boolean' },
  'modbus-server': { type: 'string' },
  'modbus-writable': { type: 'string' },
} as const;

export const INTEGRATIONS_USAGE =
  '[--mqtt mqtt://HOST:PORT [--mqtt-user U --mqtt-password-stdin] [--mqtt-prefix ems] [--mqtt-ca FILE]] ' +
  '[--influx http://HOST:8086 (--influx-db DB | --influx-org O --influx-bucket B --influx-token-stdin)] ' +
  '[--metrics [--metrics-open-loopback]] [--modbus-server HOST:PORT [--modbus-writable UID,…]]';

type Values = Record<string, string | boolean | undefined>;

export function parseHostPort(v: string, name: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(v);
  const port = Number(m?.[3]);
  const host = m?.[1] ?? m?.[2];
  if (!m || !host || port > 65535) throw new UsageError(`--${name} must be HOST:PORT, got "${v}"`);
  if (m[1] && isIP(m[1]) !== 6) throw new UsageError(`--${name}: "${m[1]}" is not an IPv6 address`);
  return { host, port };
}

/**
 * Applies the integration flags to the saved settings. Passwords and tokens come from standard input,
 * one per line in the order of the flags (MQTT password first), never from the command line.
 */
export async function integrationsFromFlags(
  saved: IntegrationSettings,
  v: Values,
  io: Io,
): Promise<IntegrationSettings> {
  const s = structuredClone(saved);
  const want = (k: string): boolean => v[k] !== undefined;
  const dependent = (flag: string, on: string): void => {
    if (want(flag) && !want(on)) throw new UsageError(`--${flag} needs --${on}`);
  };
  for (const f of ['mqtt-user', 'mqtt-password-stdin', 'mqtt-prefix', 'mqtt-discovery-prefix', 'mqtt-ca'])
    dependent(f, 'mqtt');
  for (const f of ['influx-db', 'influx-org', 'influx-bucket', 'influx-user', 'influx-token-stdin'])
    dependent(f, 'influx');
  dependent('metrics-open-loopback', 'metrics');
  dependent('modbus-writable', 'modbus-server');

  let secrets: string[] = [];
  if (v['mqtt-password-stdin'] || v['influx-token-stdin']) secrets = (await io.readStdin()).split(/\r?\n/);
  const next = (what: string): string => {
    const x = secrets.shift();
    if (x === undefined || x === '') throw new UsageError(`no ${what} on standard input`);
    return x;
  };

  if (typeof v.mqtt === 'string') {
    s.mqtt = { ...s.mqtt, enabled: true, url: v.mqtt };
    if (typeof v['mqtt-user'] === 'string') s.mqtt.username = v['mqtt-user'];
    if (v['mqtt-password-stdin']) s.mqtt.password = next('MQTT password');
    if (typeof v['mqtt-prefix'] === 'string') s.mqtt.prefix = v['mqtt-prefix'];
    if (typeof v['mqtt-discovery-prefix'] === 'string') s.mqtt.discoveryPrefix = v['mqtt-discovery-prefix'];
    if (typeof v['mqtt-ca'] === 'string') s.mqtt.caFile = v['mqtt-ca'];
  }
  if (typeof v.influx === 'string') {
    const v2 = want('influx-org') || want('influx-bucket') || want('influx-token-stdin');
    if (v2 && want('influx-db'))
      throw new UsageError('--influx-db (1.x) and --influx-org/--influx-bucket (2.x) exclude each other');
    s.influx = { ...s.influx, enabled: true, url: v.influx, version: v2 ? 2 : 1 };
    if (typeof v['influx-db'] === 'string') s.influx.database = v['influx-db'];
    if (typeof v['influx-org'] === 'string') s.influx.org = v['influx-org'];
    if (typeof v['influx-bucket'] === 'string') s.influx.bucket = v['influx-bucket'];
    if (typeof v['influx-user'] === 'string') s.influx.username = v['influx-user'];
    if (v['influx-token-stdin']) {
      const t = next('InfluxDB token');
      if (v2) s.influx.token = t;
      else s.influx.password = t;
    }
  }
  if (v.metrics) s.prometheus = { enabled: true, openOnLoopback: v['metrics-open-loopback'] === true };
  if (typeof v['modbus-server'] === 'string') {
    const { host, port } = parseHostPort(v['modbus-server'], 'modbus-server');
    s.modbusGateway = { ...s.modbusGateway, enabled: true, host, port };
    if (typeof v['modbus-writable'] === 'string') {
      const uids = v['modbus-writable'].split(',').map((x) => x.trim());
      if (!uids.every((x) => /^\d{1,15}$/.test(x) && Number(x) >= 1))
        throw new UsageError(
          `--modbus-writable must list device uids like 12,15, got "${v['modbus-writable']}"`,
        );
      s.modbusGateway.writable = uids.map(Number);
    }
  }
  try {
    return checkIntegrationSettings(s);
  } catch (e) {
    if (e instanceof IntegrationSettingsError) throw new UsageError(`integration settings: ${e.message}`);
    throw e;
  }
}
