import type { Quantity } from './quantity.js';

/** What a VIF (or the true VIF behind 0xFB/0xFD) says about the number in the data field. */
export interface ValueMeaning {
  quantity: Quantity;
  /** Unit of the scaled value, catalogue spelling ('m3', '°C'); '' when dimensionless. */
  unit: string;
  /** Decimal exponent: value = raw × 10^exponent. */
  exponent: number;
  /** Integer data is a point in time (type G/J/F/I chosen by the data length). */
  timePoint?: boolean;
  /** Identifiers and bit fields: integers are read unsigned and never scaled. */
  identifier?: boolean;
}

const m = (quantity: Quantity, unit: string, exponent = 0): ValueMeaning => ({ quantity, unit, exponent });
const id = (quantity: Quantity): ValueMeaning => ({ quantity, unit: '', exponent: 0, identifier: true });
const at = (quantity: Quantity): ValueMeaning => ({ quantity, unit: '', exponent: 0, timePoint: true });

const SMHD = ['s', 'min', 'h', 'd'] as const;
const HDMY = ['h', 'd', 'month', 'year'] as const;
const smhd = (code: number): string => SMHD[code & 3] ?? 's';
const hdmy = (code: number): string => HDMY[code & 3] ?? 'h';

/** Primary VIF table (code = VIF without its extension bit), EN 13757-3 table "primary VIF-codes". */
export function primaryMeaning(code: number): ValueMeaning {
  const n = code & 7;
  const nn = code & 3;
  if (code <= 0x07) return m('energy', 'Wh', n - 3);
  if (code <= 0x0f) return m('energy', 'J', n);
  if (code <= 0x17) return m('volume', 'm3', n - 6);
  if (code <= 0x1f) return m('mass', 'kg', n - 3);
  if (code <= 0x23) return m('on_time', smhd(code));
  if (code <= 0x27) return m('operating_time', smhd(code));
  if (code <= 0x2f) return m('power', 'W', n - 3);
  if (code <= 0x37) return m('power', 'J/h', n);
  if (code <= 0x3f) return m('volume_flow', 'm3/h', n - 6);
  if (code <= 0x47) return m('volume_flow', 'm3/min', n - 7);
  if (code <= 0x4f) return m('volume_flow', 'm3/s', n - 9);
  if (code <= 0x57) return m('mass_flow', 'kg/h', n - 3);
  if (code <= 0x5b) return m('flow_temperature', '°C', nn - 3);
  if (code <= 0x5f) return m('return_temperature', '°C', nn - 3);
  if (code <= 0x63) return m('temperature_difference', 'K', nn - 3);
  if (code <= 0x67) return m('external_temperature', '°C', nn - 3);
  if (code <= 0x6b) return m('pressure', 'bar', nn - 3);
  if (code === 0x6c) return at('date');
  if (code === 0x6d) return at('date_time');
  if (code === 0x6e) return m('hca_units', '');
  if (code >= 0x70 && code <= 0x73) return m('averaging_duration', smhd(code));
  if (code >= 0x74 && code <= 0x77) return m('actuality_duration', smhd(code));
  if (code === 0x78) return id('fabrication_number');
  if (code === 0x79) return id('enhanced_identification');
  if (code === 0x7a) return id('bus_address');
  if (code === 0x7e) return m('any', '');
  if (code === 0x7f) return m('manufacturer_specific', '');
  return m('reserved', '');
}

/** First extension table, true VIF in the first VIFE after 0xFD. */
export function fdMeaning(code: number): ValueMeaning {
  const nn = code & 3;
  if (code <= 0x03) return m('credit', 'currency', nn - 3);
  if (code <= 0x07) return m('debit', 'currency', nn - 3);
  const ids: Partial<Record<number, Quantity>> = {
    0x08: 'access_number',
    0x09: 'medium',
    0x0a: 'manufacturer',
    0x0b: 'parameter_set',
    0x0c: 'model_version',
    0x0d: 'hardware_version',
    0x0e: 'firmware_version',
    0x0f: 'software_version',
    0x10: 'customer_location',
    0x11: 'customer',
    0x12: 'access_code',
    0x13: 'access_code',
    0x14: 'access_code',
    0x15: 'access_code',
    0x16: 'password',
    0x17: 'error_flags',
    0x18: 'error_mask',
    0x1a: 'digital_output',
    0x1b: 'digital_input',
    0x1e: 'retry',
    0x20: 'storage_number_first',
    0x21: 'storage_number_last',
    0x22: 'storage_block_size',
    0x60: 'reset_counter',
    0x61: 'cumulation_counter',
    0x62: 'control_signal',
    0x63: 'day_of_week',
    0x64: 'week_number',
    0x65: 'day_change_time',
    0x66: 'parameter_activation',
    0x67: 'supplier_information',
    0x75: 'meter_stop_count',
  };
  const q = ids[code];
  if (q) return id(q);
  if (code === 0x1c) return m('baud_rate', 'Bd');
  if (code === 0x1d) return m('response_delay', 'bit times');
  if (code >= 0x24 && code <= 0x27) return m('storage_interval', smhd(code));
  if (code === 0x28) return m('storage_interval', 'month');
  if (code === 0x29) return m('storage_interval', 'year');
  if (code >= 0x2c && code <= 0x2f) return m('duration_since_readout', smhd(code));
  if (code === 0x30) return at('tariff_start');
  if (code >= 0x31 && code <= 0x33) return m('tariff_duration', smhd(code));
  if (code >= 0x34 && code <= 0x37) return m('tariff_period', smhd(code));
  if (code === 0x38) return m('tariff_period', 'month');
  if (code === 0x39) return m('tariff_period', 'year');
  if (code === 0x3a) return m('dimensionless', '');
  if (code >= 0x40 && code <= 0x4f) return m('voltage', 'V', (code & 0x0f) - 9);
  if (code >= 0x50 && code <= 0x5f) return m('current', 'A', (code & 0x0f) - 12);
  if (code >= 0x68 && code <= 0x6b) return m('duration_since_cumulation', hdmy(code));
  if (code >= 0x6c && code <= 0x6f) return m('battery_operating_time', hdmy(code));
  if (code === 0x70) return at('battery_change');
  if (code === 0x71) return m('rf_level', 'dBm');
  if (code === 0x74) return m('remaining_battery_life', 'd');
  return m('reserved', '');
}

/**
 * Second extension table, true VIF in the first VIFE after 0xFB. The 2004 edition's codes (US units
 * at 0x21–0x26) are kept; later additions that do not clash with them are included.
 */
export function fbMeaning(code: number): ValueMeaning {
  const n = code & 1;
  const nn = code & 3;
  if (code <= 0x01) return m('energy', 'Wh', n + 5);
  if (code <= 0x03) return m('reactive_energy', 'varh', n + 3);
  if (code <= 0x05) return m('apparent_energy', 'VAh', n + 3);
  if (code === 0x08 || code === 0x09) return m('energy', 'J', n + 8);
  if (code >= 0x0c && code <= 0x0f) return m('energy', 'cal', nn + 5);
  if (code === 0x10 || code === 0x11) return m('volume', 'm3', n + 2);
  if (code >= 0x14 && code <= 0x17) return m('reactive_power', 'var', nn);
  if (code === 0x18 || code === 0x19) return m('mass', 'kg', n + 5);
  if (code === 0x1a || code === 0x1b) return m('relative_humidity', '%', n - 1);
  if (code === 0x20) return m('volume', 'ft3');
  if (code === 0x21) return m('volume', 'ft3', -1);
  if (code === 0x22 || code === 0x23) return m('volume', 'US gal', n - 1);
  if (code === 0x24) return m('volume_flow', 'US gal/min', -3);
  if (code === 0x25) return m('volume_flow', 'US gal/min');
  if (code === 0x26) return m('volume_flow', 'US gal/h');
  if (code === 0x28 || code === 0x29) return m('power', 'W', n + 5);
  if (code === 0x2a || code === 0x2b) return m('phase_angle', '°', -1);
  if (code >= 0x2c && code <= 0x2f) return m('frequency', 'Hz', nn - 3);
  if (code === 0x30 || code === 0x31) return m('power', 'J/h', n + 8);
  if (code >= 0x34 && code <= 0x37) return m('apparent_power', 'VA', nn);
  if (code >= 0x58 && code <= 0x5b) return m('flow_temperature', '°F', nn - 3);
  if (code >= 0x5c && code <= 0x5f) return m('return_temperature', '°F', nn - 3);
  if (code >= 0x60 && code <= 0x63) return m('temperature_difference', '°F', nn - 3);
  if (code >= 0x64 && code <= 0x67) return m('external_temperature', '°F', nn - 3);
  if (code >= 0x70 && code <= 0x73) return m('temperature_limit', '°F', nn - 3);
  if (code >= 0x74 && code <= 0x77) return m('temperature_limit', '°C', nn - 3);
  if (code >= 0x78) return m('cumulative_max_power', 'W', (code & 7) - 3);
  return m('reserved', '');
}
