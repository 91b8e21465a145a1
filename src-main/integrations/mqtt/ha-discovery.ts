import type { DeviceInfo, SignalInfo } from '../directory.js';
import { topics } from './topics.js';

/** One retained Home Assistant discovery message. */
export interface DiscoveryConfig {
  topic: string;
  payload: string;
}

export interface DiscoveryOptions {
  prefix: string;
  discoveryPrefix: string;
  /** The installation's serial number: unique ids stay unique across laptops on one broker. */
  installation: string;
  version: string;
}

type Classes = { device_class?: string; state_class?: string; unit?: string };

/** HA's device and state class for a signal, from its unit and kind (and power factor by key: it has no unit). */
export function haClasses(s: Pick<SignalInfo['signal'], 'key' | 'unit' | 'kind' | 'type'>): Classes {
  if (s.type === 'string' || s.type === 'boolean') return {};
  const state_class = s.kind === 'counter' ? 'total_increasing' : 'measurement';
  const unit = s.unit || undefined;
  if (s.key.startsWith('power_factor')) return { device_class: 'power_factor', state_class };
  const byUnit: Record<string, string> = {
    W: 'power',
    kW: 'power',
    var: 'reactive_power',
    VA: 'apparent_power',
    V: 'voltage',
    A: 'current',
    Hz: 'frequency',
    '°C': 'temperature',
    K: 'temperature',
    bar: 'pressure',
    'm3/h': 'volume_flow_rate',
  };
  if (s.kind === 'counter') {
    if (s.unit === 'kWh' || s.unit === 'Wh') return { device_class: 'energy', state_class, unit };
    if (s.unit === 'h') return { device_class: 'duration', state_class, unit };
    return { state_class, unit };
  }
  const cls = byUnit[s.unit];
  // HA spells cubic metres per hour m³/h.
  return { ...(cls ? { device_class: cls } : {}), state_class, unit: s.unit === 'm3/h' ? 'm³/h' : unit };
}

const slug = (x: string): string =>
  x
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '') || 'x';

/**
 * HA MQTT discovery for one meter: one HA device (identifiers, manufacturer, model, serial number, firmware) and
 * one sensor entity per enabled signal, each with its own retained config topic
 * `<discoveryPrefix>/sensor/<node>/<object>/config`.
 */
export function discoveryConfigs(d: DeviceInfo, o: DiscoveryOptions): DiscoveryConfig[] {
  const node = `emsc_${slug(o.installation)}_${d.device.uid}`;
  const loads = new Set(d.signals.map((s) => s.load.uid));
  const device = {
    identifiers: [node],
    name: d.device.label,
    manufacturer: d.manufacturer,
    model: d.model,
    ...(d.device.partNumber ? { model_id: d.device.partNumber } : {}),
    ...(d.serialNumber ? { serial_number: d.serialNumber } : {}),
    ...(d.firmware ? { sw_version: d.firmware } : {}),
    via_device: `emsc_${slug(o.installation)}`,
  };
  const out: DiscoveryConfig[] = [];
  for (const s of d.signals) {
    if (!s.signal.enable || !s.load.enable || !d.device.enable) continue;
    const c = haClasses(s.signal);
    const object = `${s.signal.uid}`;
    out.push({
      topic: `${o.discoveryPrefix}/sensor/${node}/${object}/config`,
      payload: JSON.stringify({
        name: loads.size > 1 ? `${s.load.label} ${s.name}` : s.name,
        unique_id: `${node}_${s.signal.uid}`,
        object_id: `${slug(d.device.label)}_${slug(s.load.label)}_${s.signal.key}`,
        state_topic: topics.state(o.prefix, s.signal),
        availability: [
          { topic: topics.availability(o.prefix) },
          { topic: topics.deviceAvailability(o.prefix, d.device.uid) },
        ],
        availability_mode: 'all',
        ...(c.unit ? { unit_of_measurement: c.unit } : {}),
        ...(c.device_class ? { device_class: c.device_class } : {}),
        ...(c.state_class ? { state_class: c.state_class } : {}),
        device,
        origin: { name: 'EMS Commissioner', sw_version: o.version },
      }),
    });
  }
  return out;
}

/** The bridge itself as an HA device, so meters can point at it with `via_device`. */
export function bridgeConfig(o: DiscoveryOptions): DiscoveryConfig {
  const node = `emsc_${slug(o.installation)}`;
  return {
    topic: `${o.discoveryPrefix}/binary_sensor/${node}/connection/config`,
    payload: JSON.stringify({
      name: 'Connection',
      unique_id: `${node}_connection`,
      state_topic: topics.availability(o.prefix),
      payload_on: 'online',
      payload_off: 'offline',
      device_class: 'connectivity',
      entity_category: 'diagnostic',
      device: {
        identifiers: [node],
        name: `EMS Commissioner ${o.installation}`,
        manufacturer: 'EMS Commissioner',
        model: 'Meter bridge',
        serial_number: o.installation,
        sw_version: o.version,
      },
      origin: { name: 'EMS Commissioner', sw_version: o.version },
    }),
  };
}
