import type { MbusData } from './data-types.js';
import { describeStatus } from './header.js';
import type { MbusFunction } from './dib.js';
import { mediumClass, type MediumClass } from './medium.js';
import type { MbusValueFields } from './records.js';
import type { Phase } from './vife.js';

/**
 * Catalogue keys (resources/signals.json) M-Bus values can land on, with the catalogue unit. The
 * protocol layer cannot import the catalogue (it sits above us); a test checks this table against it.
 */
export const MBUS_SIGNAL_UNITS = {
  energy_import: 'kWh',
  energy_export: 'kWh',
  energy_import_t1: 'kWh',
  energy_import_t2: 'kWh',
  energy_import_t3: 'kWh',
  energy_import_t4: 'kWh',
  energy_export_t1: 'kWh',
  energy_export_t2: 'kWh',
  energy_import_l1: 'kWh',
  energy_import_l2: 'kWh',
  energy_import_l3: 'kWh',
  energy_export_l1: 'kWh',
  energy_export_l2: 'kWh',
  energy_export_l3: 'kWh',
  reactive_energy_import: 'kvarh',
  reactive_energy_export: 'kvarh',
  apparent_energy: 'kVAh',
  heat_energy: 'kWh',
  cooling_energy: 'kWh',
  energy_generic: 'kWh',
  active_power: 'W',
  power_export: 'W',
  active_power_l1: 'W',
  active_power_l2: 'W',
  active_power_l3: 'W',
  reactive_power: 'var',
  apparent_power: 'VA',
  thermal_power: 'W',
  voltage: 'V',
  voltage_l1: 'V',
  voltage_l2: 'V',
  voltage_l3: 'V',
  voltage_l1_l2: 'V',
  voltage_l2_l3: 'V',
  voltage_l3_l1: 'V',
  current: 'A',
  current_l1: 'A',
  current_l2: 'A',
  current_l3: 'A',
  current_n: 'A',
  frequency: 'Hz',
  water_volume: 'm3',
  gas_volume: 'm3',
  volume_generic: 'm3',
  volume_flow: 'm3/h',
  flow_temperature: '°C',
  return_temperature: '°C',
  temperature_difference: 'K',
  external_temperature: '°C',
  relative_humidity: '%',
  pressure: 'bar',
  hca_units: '',
  run_hours: 'h',
  fabrication_number: '',
  meter_status: '',
} as const;

export type MbusSignalKey = keyof typeof MBUS_SIGNAL_UNITS;

export interface MbusSignalValue {
  key: MbusSignalKey;
  /** Value in the catalogue unit; text for the fabrication number and the status. */
  value: number | string;
  unit: string;
}

/**
 * Record unit → catalogue unit as value × mul / div; dividing by exact powers of ten keeps
 * 37351000 Wh at exactly 37351 kWh. °F is affine and handled apart.
 */
const TO_CATALOGUE: Readonly<Record<string, { mul?: number; div?: number }>> = {
  Wh: { div: 1000 },
  J: { div: 3.6e6 },
  cal: { mul: 4.1868, div: 3.6e6 },
  varh: { div: 1000 },
  VAh: { div: 1000 },
  W: {},
  'J/h': { div: 3600 },
  var: {},
  VA: {},
  V: {},
  A: {},
  Hz: {},
  m3: {},
  ft3: { mul: 0.028316846592 },
  'US gal': { mul: 0.003785411784 },
  'm3/h': {},
  'm3/min': { mul: 60 },
  'm3/s': { mul: 3600 },
  'US gal/min': { mul: 0.003785411784 * 60 },
  'US gal/h': { mul: 0.003785411784 },
  '°C': {},
  K: {},
  '%': {},
  bar: {},
  '': {},
  s: { div: 3600 },
  min: { div: 60 },
  h: {},
  d: { mul: 24 },
};

/**
 * The catalogue signal a record stands for on a meter of `medium`, or undefined. Only current,
 * error-free, main-unit values are mapped: history (storage > 0), maxima/minima, sub-units and
 * values a manufacturer-specific VIFE redefines stay record data, because a catalogue signal is one
 * live value whose meaning must be certain.
 */
export function mapRecordToSignal(rec: MbusValueFields, medium: number): MbusSignalValue | undefined {
  if (rec.quantity === 'fabrication_number') return fabricationNumber(rec);
  if (typeof rec.value !== 'number' || !Number.isFinite(rec.value)) return undefined;
  if (rec.function !== 'instantaneous' || rec.storage !== 0 || rec.subunit !== 0) return undefined;
  if (rec.errorCode !== undefined && rec.errorCode !== 0) return undefined;
  if (rec.manufacturerSpecific) return undefined;
  const key = signalKey(rec, mediumClass(medium));
  if (!key) return undefined;
  const value = convert(rec.value, rec.unit);
  return value === undefined ? undefined : { key, value, unit: MBUS_SIGNAL_UNITS[key] };
}

/**
 * The fabrication number as text: every digit as sent (BCD keeps its leading zeros, "00012345" is not
 * 12345), so it reads like the label on the meter.
 */
function fabricationNumber(rec: MbusValueFields): MbusSignalValue | undefined {
  if (rec.function !== 'instantaneous' || rec.storage !== 0 || rec.subunit !== 0) return undefined;
  const d = rec.data;
  const text =
    d.type === 'bcd' ? d.digits : d.type === 'integer' ? d.exact : d.type === 'text' ? d.text.trim() : '';
  return text ? { key: 'fabrication_number', value: text, unit: '' } : undefined;
}

/** The status byte of a response header in words, 'OK' when it reports nothing. */
export function statusSignal(status: number): MbusSignalValue {
  const words = describeStatus(status);
  return { key: 'meter_status', value: words.length ? words.join(', ') : 'OK', unit: '' };
}

/** Maps every record; when two records claim the same key the first one wins (meters list the main value first). */
export function mapRecordsToSignals(
  records: readonly MbusValueFields[],
  medium: number,
): (MbusSignalValue | undefined)[] {
  const seen = new Set<MbusSignalKey>();
  return records.map((r) => {
    const s = mapRecordToSignal(r, medium);
    if (!s || seen.has(s.key)) return undefined;
    seen.add(s.key);
    return s;
  });
}

/** A record as the catalogue sees it: where it lands (if anywhere) and what it was on the wire. */
export interface MbusRecordMapping {
  key: MbusSignalKey | undefined;
  /** Value in the catalogue unit, when mapped. */
  value: number | string | undefined;
  catalogueUnit: string | undefined;
  /** The data field as decoded, before scaling. */
  raw: MbusData;
  /** The record's own value and unit (scaled by the VIF). */
  recordValue: number | string | null;
  unit: string;
  description: string;
  storage: number;
  tariff: number;
  subunit: number;
  function: MbusFunction;
}

/** One mapping per record, in record order (first record wins a key, as in mapRecordsToSignals). */
export function mapRecords(records: readonly MbusValueFields[], medium: number): MbusRecordMapping[] {
  const signals = mapRecordsToSignals(records, medium);
  return records.map((r, i) => {
    const s = signals[i];
    return {
      key: s?.key,
      value: s?.value,
      catalogueUnit: s?.unit,
      raw: r.data,
      recordValue: r.value,
      unit: r.unit,
      description: r.description,
      storage: r.storage,
      tariff: r.tariff,
      subunit: r.subunit,
      function: r.function,
    };
  });
}

function convert(value: number, unit: string): number | undefined {
  if (unit === '°F') return ((value - 32) * 5) / 9;
  const f = TO_CATALOGUE[unit];
  return f === undefined ? undefined : (value * (f.mul ?? 1)) / (f.div ?? 1);
}

function signalKey(rec: MbusValueFields, medium: MediumClass): MbusSignalKey | undefined {
  const exported = rec.accumulation === 'negative';
  const noTariff = rec.tariff === 0;
  switch (rec.quantity) {
    case 'energy':
      if (medium === 'electricity') return electricityEnergy(exported, rec.tariff, rec.phase);
      if (!noTariff) return undefined;
      if (medium === 'heat') return 'heat_energy';
      if (medium === 'cooling') return 'cooling_energy';
      return 'energy_generic';
    case 'reactive_energy':
      return noTariff ? (exported ? 'reactive_energy_export' : 'reactive_energy_import') : undefined;
    case 'apparent_energy':
      return noTariff ? 'apparent_energy' : undefined;
    case 'power':
      if (!noTariff) return undefined;
      if (medium === 'heat' || medium === 'cooling') return 'thermal_power';
      if (exported) return rec.phase ? undefined : 'power_export';
      return byPhase(rec.phase, {
        none: 'active_power',
        L1: 'active_power_l1',
        L2: 'active_power_l2',
        L3: 'active_power_l3',
      });
    case 'reactive_power':
      return noTariff && !rec.phase ? 'reactive_power' : undefined;
    case 'apparent_power':
      return noTariff && !rec.phase ? 'apparent_power' : undefined;
    case 'voltage':
      return byPhase(rec.phase, {
        none: 'voltage',
        L1: 'voltage_l1',
        L2: 'voltage_l2',
        L3: 'voltage_l3',
        'L1-L2': 'voltage_l1_l2',
        'L2-L3': 'voltage_l2_l3',
        'L3-L1': 'voltage_l3_l1',
      });
    case 'current':
      return byPhase(rec.phase, {
        none: 'current',
        L1: 'current_l1',
        L2: 'current_l2',
        L3: 'current_l3',
        N: 'current_n',
      });
    case 'frequency':
      return 'frequency';
    case 'volume':
      if (!noTariff) return undefined;
      if (medium === 'water') return 'water_volume';
      if (medium === 'gas') return 'gas_volume';
      return 'volume_generic';
    case 'volume_flow':
      return 'volume_flow';
    case 'flow_temperature':
      return 'flow_temperature';
    case 'return_temperature':
      return 'return_temperature';
    case 'temperature_difference':
      return rec.unit === '°F' ? undefined : 'temperature_difference';
    case 'external_temperature':
      return 'external_temperature';
    case 'relative_humidity':
      return 'relative_humidity';
    case 'pressure':
      return 'pressure';
    case 'hca_units':
      return 'hca_units';
    case 'operating_time':
    case 'on_time':
      return 'run_hours';
    default:
      return undefined;
  }
}

function electricityEnergy(
  exported: boolean,
  tariff: number,
  phase: Phase | undefined,
): MbusSignalKey | undefined {
  if (tariff !== 0) {
    if (phase) return undefined;
    const imports: readonly MbusSignalKey[] = [
      'energy_import_t1',
      'energy_import_t2',
      'energy_import_t3',
      'energy_import_t4',
    ];
    const exports: readonly MbusSignalKey[] = ['energy_export_t1', 'energy_export_t2'];
    return (exported ? exports : imports)[tariff - 1];
  }
  if (exported)
    return byPhase(phase, {
      none: 'energy_export',
      L1: 'energy_export_l1',
      L2: 'energy_export_l2',
      L3: 'energy_export_l3',
    });
  return byPhase(phase, {
    none: 'energy_import',
    L1: 'energy_import_l1',
    L2: 'energy_import_l2',
    L3: 'energy_import_l3',
  });
}

function byPhase(
  phase: Phase | undefined,
  keys: Partial<Record<Phase | 'none', MbusSignalKey>>,
): MbusSignalKey | undefined {
  return keys[phase ?? 'none'];
}
