import type { P1MbusDevice, P1Number, P1Object, P1Telegram, P1Version } from './types.js';

/** One value in signal-catalogue terms (resources/signals.json): catalogue key and unit. */
export interface P1Sample {
  key: string;
  value: number | string;
  unit: string;
  /** ms since the epoch: the telegram time, or the capture time for M-Bus readings. */
  t: number;
  /** M-Bus channel for sub-meter values. */
  channel?: number;
  /** The object the value came from. */
  obis: string;
}

export interface P1MbusMeta {
  channel: number;
  deviceType: number | null;
  deviceTypeName: string | null;
  equipmentId: string | null;
}

export interface P1Meta {
  version: P1Version;
  manufacturer: string;
  equipmentId: string | null;
  mbus: P1MbusMeta[];
}

export interface P1Signals {
  samples: P1Sample[];
  meta: P1Meta;
  /** Objects with no catalogue counterpart (or a unit that does not convert), with the reason. */
  unmapped: { obis: string; why: string }[];
}

type Target = { key: string; unit: string } & ({ type: 'float' } | { type: 'integer' } | { type: 'string' });

const f = (key: string, unit: string): Target => ({ key, unit, type: 'float' });
const int = (key: string): Target => ({ key, unit: '', type: 'integer' });

/** Keyed by A-B:C.D.E; the F group (`*255`, "current value") does not change the meaning. */
const TARGETS = new Map<string, Target>([
  ['1-0:1.8.0', f('energy_import', 'kWh')],
  ['1-0:2.8.0', f('energy_export', 'kWh')],
  ['1-0:1.8.1', f('energy_import_t1', 'kWh')],
  ['1-0:1.8.2', f('energy_import_t2', 'kWh')],
  ['1-0:1.8.3', f('energy_import_t3', 'kWh')],
  ['1-0:1.8.4', f('energy_import_t4', 'kWh')],
  ['1-0:2.8.1', f('energy_export_t1', 'kWh')],
  ['1-0:2.8.2', f('energy_export_t2', 'kWh')],
  ['1-0:2.8.3', f('energy_export_t3', 'kWh')],
  ['1-0:2.8.4', f('energy_export_t4', 'kWh')],
  ['1-0:3.8.0', f('reactive_energy_import', 'kvarh')],
  ['1-0:3.8.1', f('reactive_energy_import_t1', 'kvarh')],
  ['1-0:3.8.2', f('reactive_energy_import_t2', 'kvarh')],
  ['1-0:4.8.0', f('reactive_energy_export', 'kvarh')],
  ['1-0:1.7.0', f('power_import', 'W')],
  ['1-0:2.7.0', f('power_export', 'W')],
  ['1-0:21.7.0', f('active_power_import_l1', 'W')],
  ['1-0:41.7.0', f('active_power_import_l2', 'W')],
  ['1-0:61.7.0', f('active_power_import_l3', 'W')],
  ['1-0:22.7.0', f('active_power_export_l1', 'W')],
  ['1-0:42.7.0', f('active_power_export_l2', 'W')],
  ['1-0:62.7.0', f('active_power_export_l3', 'W')],
  ['1-0:32.7.0', f('voltage_l1', 'V')],
  ['1-0:52.7.0', f('voltage_l2', 'V')],
  ['1-0:72.7.0', f('voltage_l3', 'V')],
  ['1-0:31.7.0', f('current_l1', 'A')],
  ['1-0:51.7.0', f('current_l2', 'A')],
  ['1-0:71.7.0', f('current_l3', 'A')],
  ['1-0:14.7.0', f('frequency', 'Hz')],
  ['1-0:13.7.0', f('power_factor', '')],
  ['1-0:33.7.0', f('power_factor_l1', '')],
  ['1-0:53.7.0', f('power_factor_l2', '')],
  ['1-0:73.7.0', f('power_factor_l3', '')],
  ['1-0:1.4.0', f('demand_power', 'W')],
  ['1-0:1.6.0', f('demand_power_max', 'W')],
  ['0-0:17.0.0', f('power_limit_threshold', 'kW')],
  ['0-0:96.14.0', int('tariff')],
  ['0-0:96.3.10', int('switch_position')],
  ['0-0:96.7.21', int('power_failures')],
  ['0-0:96.7.9', int('long_power_failures')],
  ['1-0:32.32.0', int('voltage_sags_l1')],
  ['1-0:52.32.0', int('voltage_sags_l2')],
  ['1-0:72.32.0', int('voltage_sags_l3')],
  ['1-0:32.36.0', int('voltage_swells_l1')],
  ['1-0:52.36.0', int('voltage_swells_l2')],
  ['1-0:72.36.0', int('voltage_swells_l3')],
  ['0-0:96.13.0', { key: 'text_message', unit: '', type: 'string' }],
  ['0-0:96.1.1', { key: 'equipment_id', unit: '', type: 'string' }],
]);

/** Every catalogue key this module can produce; a test holds it against resources/signals.json. */
export const P1_SIGNAL_KEYS: ReadonlyMap<string, string> = new Map(
  [
    ...TARGETS.values(),
    f('gas_volume', 'm3'),
    f('water_volume', 'm3'),
    f('heat_energy', 'kWh'),
    f('volume_generic', 'm3'),
    f('energy_generic', 'kWh'),
    int('switch_position'),
  ].map((t) => [t.key, t.unit]),
);

/** Powers of ten are applied to the decimal text, so 0.070 kW becomes exactly 70 W. */
const SCALE: Record<string, Record<string, number | ((n: P1Number) => number)>> = {
  kWh: { kWh: 0, Wh: -3, MWh: 3, GJ: (n) => (n.value * 1e6) / 3600 },
  kvarh: { kvarh: 0, varh: -3 },
  W: { W: 0, kW: 3, MW: 6 },
  kW: { kW: 0, W: -3 },
  V: { V: 0 },
  A: { A: 0 },
  Hz: { Hz: 0 },
  m3: { m3: 0, dm3: -3, l: -3 },
  '': { '': 0 },
};

function convert(n: P1Number, unit: string): number | null {
  const rule = SCALE[unit]?.[n.unit ?? ''];
  if (rule === undefined) return null;
  if (typeof rule === 'function') return rule(n);
  return rule === 0 ? n.value : Number(`${n.raw}e${rule}`);
}

/** EN 13757-3 media P1 meters report on their M-Bus channels. */
const MEDIA: Record<number, { name: string; volume?: string; energy?: string }> = {
  3: { name: 'gas', volume: 'gas_volume' },
  4: { name: 'heat', energy: 'heat_energy' },
  6: { name: 'warm water', volume: 'water_volume' },
  7: { name: 'water', volume: 'water_volume' },
  10: { name: 'cooling (outlet)' },
  11: { name: 'cooling (inlet)' },
  12: { name: 'heat (inlet)', energy: 'heat_energy' },
  13: { name: 'heat / cooling', energy: 'heat_energy' },
  21: { name: 'hot water', volume: 'water_volume' },
  22: { name: 'cold water', volume: 'water_volume' },
};

function numberOf(obj: P1Object): P1Number | null {
  const v = obj.value;
  return v.kind === 'number' || v.kind === 'reading' ? v : null;
}

export interface P1MapOptions {
  /** When the telegram carries no time (DSMR 2.2/3): the reader's receive time. */
  receivedAt: number;
}

/** Maps a parsed telegram to catalogue samples; values convert to catalogue units. */
export function mapP1Telegram(telegram: P1Telegram, options: P1MapOptions): P1Signals {
  const t = telegram.timestamp?.epochMs ?? options.receivedAt;
  const samples: P1Sample[] = [];
  const unmapped: P1Signals['unmapped'] = [];
  for (const obj of telegram.objects) {
    const { a, b, c, d, e } = obj.code;
    const channel = a === 0 && b > 0 ? b : undefined;
    // M-Bus type, id and reading are handled per device below.
    if (channel !== undefined && `${c}.${d}.${e}` !== '24.4.0') continue;
    const target = channel === undefined ? TARGETS.get(`${a}-${b}:${c}.${d}.${e}`) : VALVE;
    if (!target) {
      unmapped.push({ obis: obj.obis, why: 'no catalogue signal' });
      continue;
    }
    const sample = sampleOf(obj, target, t);
    if (typeof sample === 'string') unmapped.push({ obis: obj.obis, why: sample });
    else samples.push(channel === undefined ? sample : { ...sample, channel });
  }
  for (const dev of telegram.mbus) {
    const sample = readingSample(dev);
    if (typeof sample === 'string') {
      if (dev.reading) unmapped.push({ obis: dev.reading.obis, why: sample });
    } else samples.push(sample);
  }
  return { samples, meta: metaOf(telegram), unmapped };
}

const VALVE = int('switch_position');

function sampleOf(obj: P1Object, target: Target, t: number): P1Sample | string {
  const base = { key: target.key, unit: target.unit, t, obis: obj.obis };
  const v = obj.value;
  if (target.type === 'string') {
    if (v.kind === 'empty') return { ...base, value: '' };
    if (v.kind === 'text') return { ...base, value: v.text ?? v.raw };
    if (v.kind === 'number') return { ...base, value: v.raw };
    return `expected text, got ${v.kind}`;
  }
  const n = numberOf(obj);
  if (!n) return v.kind === 'empty' ? 'no value' : `expected a number, got ${v.kind}`;
  if (target.type === 'integer') {
    return Number.isInteger(n.value) ? { ...base, value: n.value } : `"${n.raw}" is not an integer`;
  }
  const value = convert(n, target.unit);
  if (value === null)
    return `unit ${n.unit ?? '(none)'} does not convert to ${target.unit || 'a plain number'}`;
  return { ...base, value };
}

function readingSample(dev: P1MbusDevice): P1Sample | string {
  const r = dev.reading;
  if (!r) return 'no reading';
  // Empty channels carry placeholders: an impossible date or 1970-01-01 (epoch 0).
  if (r.at.epochMs === null || r.at.epochMs <= 0) return `capture time ${r.at.raw} is a placeholder`;
  const medium = dev.deviceType === null ? undefined : MEDIA[dev.deviceType];
  const base = { t: r.at.epochMs, channel: dev.channel, obis: r.obis };
  const volume = convert(r, 'm3');
  if (volume !== null) return { ...base, key: medium?.volume ?? 'volume_generic', unit: 'm3', value: volume };
  const energy = convert(r, 'kWh');
  if (energy !== null)
    return { ...base, key: medium?.energy ?? 'energy_generic', unit: 'kWh', value: energy };
  return `unit ${r.unit ?? '(none)'} is neither a volume nor an energy`;
}

function metaOf(telegram: P1Telegram): P1Meta {
  return {
    version: telegram.version,
    manufacturer: telegram.header.manufacturer,
    equipmentId: telegram.equipmentId ? (telegram.equipmentId.text ?? telegram.equipmentId.raw) : null,
    mbus: telegram.mbus.map((m) => ({
      channel: m.channel,
      deviceType: m.deviceType,
      deviceTypeName: m.deviceType === null ? null : (MEDIA[m.deviceType]?.name ?? null),
      equipmentId: m.equipmentId ? (m.equipmentId.text ?? m.equipmentId.raw) : null,
    })),
  };
}
