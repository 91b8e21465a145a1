import { describe, expect, it } from 'vitest';
import {
  decodeRecords,
  type MbusDataRecord,
  type MbusRecord,
} from '../../../src-main/protocol/mbus/records.js';
import { decodeUserData } from '../../../src-main/protocol/mbus/user-data.js';

const bytes = (hex: string): Buffer => Buffer.from(hex.replace(/\s+/g, ''), 'hex');

function records(hex: string, msbFirst = false): MbusRecord[] {
  const r = decodeRecords(bytes(hex), 0, msbFirst);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value.records;
}

function one(hex: string, msbFirst = false): MbusDataRecord {
  const [r] = records(hex, msbFirst);
  if (r?.type !== 'data') throw new Error('no data record');
  return r;
}

describe('data types', () => {
  it('reads BCD of 2 to 12 digits, negative BCD and BCD with error digits', () => {
    expect(one('09 13 42')).toMatchObject({ data: { type: 'bcd', digits: '42' }, value: 0.042, unit: 'm3' });
    expect(one('0A 13 34 12')).toMatchObject({ value: 1.234 });
    expect(one('0B 13 56 34 12')).toMatchObject({ value: 123.456 });
    expect(one('0C 13 78 56 34 12')).toMatchObject({ value: 12345.678 });
    expect(one('0E 13 90 78 56 34 12 00')).toMatchObject({
      data: { digits: '001234567890' },
      value: 1234567.89,
    });
    expect(one('0A 5B 12 F0')).toMatchObject({ data: { type: 'bcd', value: -12 }, value: -12, unit: '°C' });
    expect(one('0A 5B 1A 00')).toMatchObject({
      data: { type: 'bcd', value: null, digits: '001A' },
      value: null,
    });
  });

  it('reads signed integers of 8, 16, 24, 32, 48 and 64 bits', () => {
    expect(one('01 2B FF')).toMatchObject({ value: -1, unit: 'W' });
    expect(one('02 2B 00 80')).toMatchObject({ value: -32768 });
    expect(one('03 2B FF FF 7F')).toMatchObject({ value: 8388607 });
    expect(one('04 2B 00 00 00 80')).toMatchObject({ value: -2147483648 });
    expect(one('06 03 01 00 00 00 00 80')).toMatchObject({ value: -140737488355327 });
    expect(one('07 03 FF FF FF FF FF FF FF 7F')).toMatchObject({
      data: { type: 'integer', exact: '9223372036854775807' },
    });
  });

  it('reads identifiers unsigned and unscaled', () => {
    expect(one('04 78 FF FF FF FF')).toMatchObject({
      quantity: 'fabrication_number',
      value: 4294967295,
      exponent: 0,
    });
  });

  it('reads IEEE-754 single precision', () => {
    const buf = Buffer.alloc(4);
    buf.writeFloatLE(21.5);
    expect(one(`05 5B ${buf.toString('hex')}`)).toMatchObject({
      data: { type: 'real', value: 21.5 },
      value: 21.5,
    });
  });

  it('reads date type G, date-time type F (century rule, summer time, invalid flag), type I and time type J', () => {
    expect(one('02 6C 5F 1C')).toMatchObject({ value: '2010-12-31', data: { type: 'date', valid: true } });
    expect(one('04 6D 1A 2F 65 11')).toMatchObject({
      value: '2011-01-05T15:26',
      data: { summerTime: false, valid: true },
    });
    // Year 99 with hundred-year bits 01 is 2099; with 00 it is 1999; years up to 80 with 00 are 20xx.
    expect(one('04 6D 00 A0 7F CC').data).toMatchObject({ year: 2099, month: 12, day: 31, summerTime: true });
    expect(one('04 6D 00 00 7F CC').data).toMatchObject({ year: 1999, summerTime: false });
    expect(one('04 6D 00 00 BF 0C').data).toMatchObject({ year: 2005 });
    expect(one('04 6D 80 00 01 01').data).toMatchObject({ valid: false });
    expect(one('06 6D 2D 1E 0C 05 3B 00')).toMatchObject({ value: '2024-11-05T12:30:45' });
    expect(one('03 6D 05 04 17')).toMatchObject({ data: { type: 'time', text: '23:04:05' } });
  });

  it('reads LVAR text (last character first), BCD, negative BCD and binary', () => {
    expect(one('0D FD 0F 05 33 2E 36 2E 31')).toMatchObject({ quantity: 'software_version', value: '1.6.3' });
    expect(one('0D 13 C2 34 12')).toMatchObject({ data: { type: 'bcd', digits: '1234' }, value: 1.234 });
    expect(one('0D 13 D2 34 12')).toMatchObject({ value: -1.234 });
    expect(one('0D FD 16 E3 01 02 03')).toMatchObject({ data: { type: 'binary', hex: '03 02 01' } });
    expect(one(`0D FD 16 F0 ${'AB'.repeat(16)}`).data).toMatchObject({ type: 'binary' });
    expect(one(`0D FD 16 F5 ${'00'.repeat(48)}`).data).toMatchObject({ type: 'binary' });
    expect(decodeRecords(bytes('0D FD 16 F7 00'), 0, false)).toMatchObject({
      ok: false,
      error: { code: 'bad-length' },
    });
  });

  it('decodes most-significant-byte-first data for CI 0x76', () => {
    expect(one('04 2B 00 00 01 00', true)).toMatchObject({ value: 256 });
    expect(one('02 6C 23 12', true)).toMatchObject({ value: '2016-03-18' });
  });
});

describe('DIF and DIFE', () => {
  it('spreads storage number, tariff and sub-unit over DIF and DIFEs', () => {
    expect(one('44 13 00 00 00 00')).toMatchObject({ storage: 1, tariff: 0, subunit: 0 });
    expect(one('84 10 06 00 00 00 00')).toMatchObject({ storage: 0, tariff: 1, subunit: 0 });
    expect(one('84 80 40 14 00 00 00 00')).toMatchObject({ storage: 0, tariff: 0, subunit: 2 });
    // DIF bit 6 + DIFE nibbles F, 1, 5 → storage 1 + 15·2 + 1·32 + 5·512; tariff bits 00, 11, 00; sub-unit bits 0, 0, 1.
    expect(one('C4 8F B1 45 06 00 00 00 00')).toMatchObject({ storage: 2623, tariff: 12, subunit: 4 });
    expect(one('14 2B 01 00 00 00')).toMatchObject({ function: 'maximum' });
    expect(one('24 2B 01 00 00 00')).toMatchObject({ function: 'minimum' });
    expect(one('34 2B 01 00 00 00')).toMatchObject({ function: 'error' });
  });

  it('accepts 10 DIFEs and refuses 11', () => {
    expect(one(`81 ${'80 '.repeat(9)}00 13 00`)).toMatchObject({
      dife: Array(10)
        .fill(0)
        .map((_, i) => (i < 9 ? 0x80 : 0)),
    });
    expect(decodeRecords(bytes(`81 ${'80 '.repeat(10)}00 13 00`), 0, false)).toMatchObject({
      ok: false,
      error: { code: 'too-many-dife' },
    });
  });

  it('skips idle fillers and keeps manufacturer data after DIF 0x0F and 0x1F', () => {
    expect(records('2F 2F 01 13 05 2F 0F 01 02')).toMatchObject([
      { type: 'data', value: 0.005 },
      { type: 'manufacturer', moreRecordsFollow: false, data: '01 02' },
    ]);
    const r = decodeRecords(bytes('01 13 05 1F'), 0, false);
    expect(r).toMatchObject({ ok: true, value: { moreRecordsFollow: true } });
  });

  it('refuses special-function DIFs without a defined layout', () => {
    expect(decodeRecords(bytes('3F 00'), 0, false)).toMatchObject({
      ok: false,
      error: { code: 'unsupported-dif' },
    });
  });
});

describe('VIF and VIFE', () => {
  it('scales by the primary VIF exponent', () => {
    expect(one('04 06 E7 91 00 00')).toMatchObject({
      quantity: 'energy',
      unit: 'Wh',
      exponent: 3,
      value: 37351000,
    });
    expect(one('04 0E 01 00 00 00')).toMatchObject({ unit: 'J', exponent: 6, value: 1e6 });
    expect(one('04 14 2C DB 00 00')).toMatchObject({ quantity: 'volume', value: 561.08 });
    expect(one('02 3B 1F 02')).toMatchObject({ quantity: 'volume_flow', unit: 'm3/h', value: 0.543 });
    expect(one('02 22 D9 03')).toMatchObject({ quantity: 'on_time', unit: 'h', value: 985 });
  });

  it('reads the FB and FD extension tables', () => {
    expect(one('04 FB 00 05 00 00 00')).toMatchObject({ quantity: 'energy', unit: 'Wh', value: 500000 });
    expect(one('04 FB 09 01 00 00 00')).toMatchObject({ quantity: 'energy', unit: 'J', value: 1e9 });
    expect(one('0A FB 1A 31 05')).toMatchObject({ quantity: 'relative_humidity', unit: '%', value: 53.1 });
    expect(one('02 FD 48 FC 08')).toMatchObject({ quantity: 'voltage', unit: 'V', value: 230 });
    expect(one('02 FD 59 E8 03')).toMatchObject({ quantity: 'current', unit: 'A', value: 1 });
    expect(one('02 FD 17 10 00')).toMatchObject({ quantity: 'error_flags', value: 16 });
  });

  it('applies combinable VIFEs: corrections, per-time units, accumulation, phases and record errors', () => {
    expect(one('04 83 3B 87 D6 12 00')).toMatchObject({ accumulation: 'positive', value: 1234567 });
    expect(one('04 83 3C 87 D6 12 00')).toMatchObject({ accumulation: 'negative' });
    expect(one('02 AB 74 64 00')).toMatchObject({ exponent: -2, value: 1 });
    expect(one('02 AB 7D 01 00')).toMatchObject({ exponent: 3, value: 1000 });
    expect(one('02 DB 78 05 00')).toMatchObject({ value: 5.001 });
    expect(one('02 93 22 05 00')).toMatchObject({ unit: 'm3/h', value: 0.005 });
    expect(one('02 FD C8 FC 01 FC 08')).toMatchObject({ quantity: 'voltage', phase: 'L1', value: 230 });
    expect(one('02 FD C8 FC 05 FC 08')).toMatchObject({ phase: 'L1-L2' });
    expect(one('04 83 15 00 00 00 00')).toMatchObject({
      errorCode: 0x15,
      notes: ['record error: no data available'],
    });
  });

  it('reads plain-text units with their VIFEs and marks manufacturer-specific meaning', () => {
    expect(one('02 FC 03 48 52 25 74 D4 11')).toMatchObject({
      quantity: 'plain_text',
      description: '%RH',
      unit: '%RH',
      value: 45.64,
    });
    expect(one('02 AB FF 01 05 00')).toMatchObject({
      quantity: 'power',
      manufacturerSpecific: true,
      notes: ['manufacturer-specific VIFEs follow', 'manufacturer-specific VIFE 0x01'],
    });
    expect(one('01 7F 05')).toMatchObject({
      quantity: 'manufacturer_specific',
      manufacturerSpecific: true,
      value: 5,
    });
  });

  it('turns a value into a duration or a date when a VIFE says so', () => {
    expect(one('04 BE 50 10 00 00 00')).toMatchObject({ quantity: 'volume_flow', unit: 's', value: 16 });
    expect(one('04 DA 6F 32 14 7A 18')).toMatchObject({
      quantity: 'flow_temperature',
      value: '2011-08-26T20:50',
    });
  });

  it('accepts 10 VIFEs and refuses 11', () => {
    expect(one(`01 83 ${'80 '.repeat(9)}00 00`).vife).toHaveLength(10);
    expect(decodeRecords(bytes(`01 83 ${'80 '.repeat(10)}00 00`), 0, false)).toMatchObject({
      ok: false,
      error: { code: 'too-many-vife' },
    });
  });
});

describe('application layer', () => {
  it('decodes the CI 0x7A short header and CI 0x78 headerless records', () => {
    const short = decodeUserData(0x7a, bytes('05 00 00 00 04 13 01 00 00 00'));
    expect(short).toMatchObject({
      ok: true,
      value: { kind: 'variable', shortHeader: { accessNumber: 5 }, records: [{ value: 0.001 }] },
    });
    expect(decodeUserData(0x78, bytes('0F 00'))).toMatchObject({
      ok: true,
      value: { kind: 'variable', records: [{ type: 'manufacturer', data: '00' }] },
    });
  });

  it('decodes application errors, alarms, selections and baud-rate commands', () => {
    expect(decodeUserData(0x70, bytes('08'))).toMatchObject({
      ok: true,
      value: { kind: 'application-error', code: 8 },
    });
    expect(decodeUserData(0x71, bytes('01'))).toMatchObject({ ok: true, value: { kind: 'alarm', alarm: 1 } });
    expect(decodeUserData(0x52, bytes('78 56 34 12 FF FF FF FF'))).toMatchObject({
      ok: true,
      value: { kind: 'select', mask: { id: '12345678', manufacturer: 0xffff, version: 0xff, medium: 0xff } },
    });
    expect(decodeUserData(0xbd, Buffer.alloc(0))).toMatchObject({
      ok: true,
      value: { kind: 'set-baud-rate', baudRate: 9600 },
    });
    expect(decodeUserData(0x90, Buffer.alloc(0))).toMatchObject({
      ok: false,
      error: { code: 'unimplemented-ci' },
    });
  });

  it('decodes the fixed data structure with BCD and binary counters', () => {
    const bcd = decodeUserData(0x73, bytes('78 56 34 12 0A 00 E9 7E 01 00 00 00 35 01 00 00'));
    expect(bcd).toMatchObject({
      ok: true,
      value: {
        kind: 'fixed',
        fixed: {
          id: '12345678',
          medium: 7,
          counters: [
            { unit: 'm3', exponent: -3, value: 0.001, storage: 0 },
            {
              unit: 'm3',
              exponent: -3,
              value: 0.135,
              storage: 1,
              notes: ['historic value, same unit as counter 1'],
            },
          ],
        },
      },
    });
    const binary = decodeUserData(0x73, bytes('78 56 34 12 0A 80 05 05 10 00 00 00 FF FF FF FF'));
    expect(binary).toMatchObject({
      ok: true,
      value: { fixed: { counters: [{ unit: 'Wh', value: 16000 }, { value: -1000 }] } },
    });
  });
});
