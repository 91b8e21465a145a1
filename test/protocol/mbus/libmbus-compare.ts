import type { MbusHeader } from '../../../src-main/protocol/mbus/header.js';
import type { MbusFixedCounter } from '../../../src-main/protocol/mbus/fixed-data.js';
import type { Quantity } from '../../../src-main/protocol/mbus/quantity.js';
import type { MbusRecord } from '../../../src-main/protocol/mbus/records.js';
import type { MbusUserData } from '../../../src-main/protocol/mbus/user-data.js';
import type { LibmbusRecord, LibmbusXml } from './corpus.js';

/**
 * Compares our decoding with libmbus's regression output (.xml = raw values, .norm.xml = values in
 * base units). libmbus prints names; the tables below translate its names to our codes so that the
 * comparison is about meaning, not spelling.
 */

const MEDIUM: Readonly<Record<string, number>> = {
  Other: 0x00,
  Oil: 0x01,
  Electricity: 0x02,
  Gas: 0x03,
  'Heat: Outlet': 0x04,
  'Warm water (30-90°C)': 0x06,
  Water: 0x07,
  'Heat Cost Allocator': 0x08,
  'Heat: Inlet': 0x0c,
  'Heat / Cooling load meter': 0x0d,
  'Bus/System': 0x0e,
  'Cold water': 0x16,
  'Breaker: Electricity': 0x20,
};

/** Fixed data structure media (4-bit code). */
const FIXED_MEDIUM: Readonly<Record<string, number>> = { Heat: 4, Water: 7 };

const QUANTITY: Partial<Record<Quantity, string>> = {
  energy: 'Energy',
  volume: 'Volume',
  mass: 'Mass',
  power: 'Power',
  volume_flow: 'Volume flow',
  mass_flow: 'Mass flow',
  flow_temperature: 'Flow temperature',
  return_temperature: 'Return temperature',
  temperature_difference: 'Temperature difference',
  external_temperature: 'External temperature',
  pressure: 'Pressure',
  on_time: 'On time',
  operating_time: 'Operating time',
  date: 'Time point (date)',
  date_time: 'Time point (date & time)',
  fabrication_number: 'Fabrication No',
  enhanced_identification: '(Enhanced) Identification',
  bus_address: 'Bus Address',
  hca_units: 'H.C.A.',
  averaging_duration: 'Averaging Duration',
  actuality_duration: 'Actuality Duration',
  voltage: 'Voltage',
  current: 'Current',
  error_flags: 'Error flags',
  software_version: 'Software version',
  firmware_version: 'Firmware version',
  hardware_version: 'Hardware version',
  dimensionless: 'Dimensionless',
  customer_location: 'Customer location',
  customer: 'Customer',
  parameter_set: 'Parameter set identification',
  model_version: 'Model / Version',
  digital_input: 'Digital Input',
  digital_output: 'Digital Output',
  medium: 'Medium',
  manufacturer: 'Manufacturer',
  access_number: 'Access Number (transmission count)',
  reset_counter: 'Reset counter',
  cumulation_counter: 'Cumulation counter',
  supplier_information: 'Special supplier information',
  manufacturer_specific: 'Manufacturer specific',
  reserved: 'Reserved',
};

const UNIT: Readonly<Record<string, string>> = {
  m3: 'm^3',
  'm3/h': 'm^3/h',
  'm3/min': 'm^3/min',
  'm3/s': 'm^3/s',
  s: 's',
  min: 's',
  h: 's',
  d: 's',
};

const SECONDS: Readonly<Record<string, number>> = { s: 1, min: 60, h: 3600, d: 86400 };

/** libmbus unit names of the fixed data structure, as our unit and exponent. */
const FIXED_UNIT: Readonly<Record<string, string>> = { l: 'm3 -3', kWh: 'Wh 3' };

const FUNCTION: Readonly<Record<string, string>> = {
  'Instantaneous value': 'instantaneous',
  'Maximum value': 'maximum',
  'Minimum value': 'minimum',
  'Value during error state': 'error',
};

export interface Mismatch {
  record?: number;
  field: string;
  ours: string;
  libmbus: string;
}

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-6 + 1e-9 * Math.abs(b);
}

/** libmbus prints the id as a number (leading zeros dropped). */
function idAsLibmbus(id: string): string {
  return id.replace(/^0+(?=.)/, '');
}

export function compareHeader(h: MbusHeader, x: LibmbusXml): Mismatch[] {
  const out: Mismatch[] = [];
  const check = (field: string, ours: string, theirs: string | undefined): void => {
    if (ours !== (theirs ?? '')) out.push({ field, ours, libmbus: theirs ?? '(missing)' });
  };
  const s = x.slave;
  check('Id', idAsLibmbus(h.id), s.Id);
  check('Manufacturer', h.manufacturer, s.Manufacturer);
  check('Version', String(h.version), s.Version);
  check(
    'Medium',
    String(h.medium),
    s.Medium === undefined ? undefined : String(MEDIUM[s.Medium] ?? `unmapped ${s.Medium}`),
  );
  check('AccessNumber', String(h.accessNumber), s.AccessNumber);
  check('Status', h.status.toString(16).toUpperCase().padStart(2, '0'), s.Status);
  check('Signature', h.signature.toString(16).toUpperCase().padStart(4, '0'), s.Signature);
  return out;
}

/** Raw .xml value as libmbus prints it for our data. */
function rawText(r: MbusRecord): string | undefined {
  if (r.type === 'manufacturer') return r.data;
  const d = r.data;
  switch (d.type) {
    case 'integer':
      return d.exact;
    case 'bcd':
      // libmbus prints BCD of "value during error state" records as hex digits.
      return r.function === 'error'
        ? d.digits.replace(/^0+(?=.)/, '')
        : d.value === null
          ? undefined
          : String(d.value);
    case 'date':
      return d.text;
    case 'date-time':
      // With the type F "invalid" bit set libmbus prints an all-zero time; we keep the fields and flag valid=false.
      if (!d.valid && (r.bytes.split(' ').at(-4) ?? '').match(/^[89A-F]/)) return '1900-01-00T00:00:00';
      return d.second === undefined ? `${d.text}:00` : d.text;
    case 'text':
      return d.text;
    case 'binary':
      return d.hex;
    case 'none':
      return '';
    default:
      return undefined;
  }
}

export function compareRecord(
  r: MbusRecord,
  raw: LibmbusRecord,
  norm: LibmbusRecord | undefined,
  index: number,
): Mismatch[] {
  const out: Mismatch[] = [];
  const check = (field: string, ours: string, theirs: string | undefined): void => {
    if (ours !== (theirs ?? '(missing)'))
      out.push({ record: index, field, ours, libmbus: theirs ?? '(missing)' });
  };
  const x = raw.fields;
  if (r.type === 'manufacturer') {
    check('Function', r.moreRecordsFollow ? 'More records follow' : 'Manufacturer specific', x.Function);
    check('Value', r.data, x.Value);
    return out;
  }
  check('Function', r.function, FUNCTION[x.Function ?? ''] ?? x.Function);
  check('StorageNumber', String(r.storage), x.StorageNumber);
  if (r.dife.length > 0) {
    check('Tariff', String(r.tariff), x.Tariff);
    check('Device', String(r.subunit), x.Device);
  } else if (x.Tariff !== undefined || x.Device !== undefined) {
    out.push({ record: index, field: 'Tariff/Device', ours: 'no DIFE', libmbus: `${x.Tariff}/${x.Device}` });
  }
  const d = r.data;
  if (d.type === 'real') {
    if (!close(d.value, Number(x.Value))) check('Value', String(d.value), x.Value);
  } else {
    check('Value', rawText(r) ?? `(${d.type})`, x.Value);
  }
  if (!norm) return out;
  const n = norm.fields;
  if (Object.keys(n).length === 0) {
    // libmbus writes an empty record when its normaliser does not know the VIF (e.g. 0x7B).
    if (r.quantity !== 'reserved')
      out.push({ record: index, field: 'norm', ours: r.quantity, libmbus: '(not normalised)' });
    return out;
  }
  if (r.quantity === 'plain_text') {
    check('norm Quantity', r.description, n.Quantity);
    check('norm Unit', '-', n.Unit);
  } else if (d.type === 'date' || d.type === 'date-time') {
    check('norm Quantity', QUANTITY[r.quantity] ?? r.quantity, n.Quantity);
    check('norm Unit', '-', n.Unit);
  } else {
    check('norm Quantity', QUANTITY[r.quantity] ?? r.quantity, n.Quantity);
    const special: Partial<Record<Quantity, string>> = {
      hca_units: 'Units for H.C.A.',
      reserved: 'Reserved',
    };
    check('norm Unit', special[r.quantity] ?? UNIT[r.unit] ?? r.unit, n.Unit);
  }
  if (typeof r.value === 'number') {
    const ours = r.value * (SECONDS[r.unit] ?? 1);
    if (!close(ours, Number(n.Value))) check('norm Value', String(ours), n.Value);
  }
  return out;
}

export function compareFixed(u: Extract<MbusUserData, { kind: 'fixed' }>, x: LibmbusXml): Mismatch[] {
  const out: Mismatch[] = [];
  const check = (field: string, ours: string, theirs: string | undefined, record?: number): void => {
    if (ours !== (theirs ?? '(missing)'))
      out.push({ ...(record === undefined ? {} : { record }), field, ours, libmbus: theirs ?? '(missing)' });
  };
  check('Id', idAsLibmbus(u.fixed.id), x.slave.Id);
  check('Medium', String(u.fixed.medium), String(FIXED_MEDIUM[x.slave.Medium ?? ''] ?? x.slave.Medium));
  check('AccessNumber', String(u.fixed.accessNumber), x.slave.AccessNumber);
  check('Status', u.fixed.status.toString(16).toUpperCase().padStart(2, '0'), x.slave.Status);
  check('records', String(u.fixed.counters.length), String(x.records.length));
  u.fixed.counters.forEach((c: MbusFixedCounter, i) => {
    const rec = x.records[i]?.fields ?? {};
    check('Function', u.fixed.stored ? 'Stored value' : 'Actual value', rec.Function, i);
    const d = c.data;
    // libmbus prints BCD counters as hex digits without leading zeros.
    const raw = d.type === 'bcd' ? d.digits.replace(/^0+(?=.)/, '') : d.type === 'integer' ? d.exact : '';
    check('Value', raw, rec.Value, i);
    if (c.unitCode === 0x3e)
      check(
        'Unit',
        'same but historic',
        rec.Unit === 'reserved but historic' ? 'same but historic' : rec.Unit,
        i,
      );
    else check('Unit', `${c.unit} ${c.exponent}`, FIXED_UNIT[rec.Unit ?? ''] ?? rec.Unit, i);
  });
  return out;
}
