import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeMbusInput, type MbusMappedSignal } from '../../../src-main/cli/decode-mbus.js';
import { loadCatalogue } from '../../../src-main/devices/catalogue.js';
import { encodeInteger, encodeRecord } from '../../../src-main/protocol/mbus/encode.js';
import { decodeRecords, type MbusDataRecord } from '../../../src-main/protocol/mbus/records.js';
import {
  MBUS_SIGNAL_UNITS,
  mapRecords,
  mapRecordToSignal,
  statusSignal,
} from '../../../src-main/protocol/mbus/signal-map.js';
import { corpusFile } from './corpus.js';

function signals(file: string): Record<string, number | string> {
  const f = decodeMbusInput(readFileSync(corpusFile('libmbus/test-frames', file))).frames[0];
  if (!f?.ok) throw new Error(`${file} did not decode`);
  return Object.fromEntries(f.signals.map((s: MbusMappedSignal) => [s.key, s.value]));
}

function record(bytes: Buffer): MbusDataRecord {
  const r = decodeRecords(bytes, 0, false);
  if (!r.ok || r.value.records[0]?.type !== 'data') throw new Error('bad test record');
  return r.value.records[0];
}

describe('M-Bus records to catalogue signals', () => {
  it('uses only catalogue keys, with the catalogue unit', () => {
    const catalogue = loadCatalogue();
    for (const [key, unit] of Object.entries(MBUS_SIGNAL_UNITS)) {
      expect(catalogue.byKey.get(key)?.unit, key).toBe(unit);
    }
  });

  it('maps a heat meter (Kamstrup Multical 601) in catalogue units', () => {
    expect(signals('kamstrup_multical_601.hex')).toEqual({
      // Text with every digit as sent: the label on the meter reads 06855817.
      fabrication_number: '06855817',
      heat_energy: 37351,
      volume_generic: 561.08,
      run_hours: 985,
      flow_temperature: 101.69,
      return_temperature: 46.16,
      temperature_difference: 55.53,
      thermal_power: 34700,
      volume_flow: 0.543,
    });
  });

  it('maps tariff registers of an electricity meter (ABB Delta) and skips sub-unit and history', () => {
    expect(Object.keys(signals('abb_delta.hex'))).toEqual([
      'energy_import',
      'energy_import_t1',
      'energy_import_t2',
      'energy_import_t3',
      'energy_import_t4',
    ]);
  });

  it('ignores values redefined by manufacturer-specific VIFEs (EMU per-phase registers)', () => {
    expect(signals('EMU_EMU-Professional-375-M-Bus.hex')).toEqual({
      fabrication_number: '00032629',
      energy_import_t1: 1.364,
      energy_import_t2: 0,
      active_power: -2,
      current: -0.066,
    });
  });

  it("says the header's status byte in words, OK when it reports nothing", () => {
    expect(statusSignal(0)).toEqual({ key: 'meter_status', value: 'OK', unit: '' });
    expect(statusSignal(0x14).value).toBe('power low, temporary error');
    expect(statusSignal(0x0b).value).toBe('abnormal condition / alarm, permanent error');
  });

  it('puts volume on the medium-specific key', () => {
    expect(signals('itron_cyble_m-bus_v1.4_gas.hex')).toMatchObject({ gas_volume: 0.26 });
    expect(signals('itron_cyble_m-bus_v1.4_water.hex')).toHaveProperty('water_volume');
  });

  it('converts J, J/h, m3/min and minutes into catalogue units', () => {
    const j = record(encodeRecord({ dif: 0x04, vif: 0x0e, data: encodeInteger(36, 4) }));
    expect(mapRecordToSignal(j, 0x04)).toEqual({ key: 'heat_energy', value: 10, unit: 'kWh' });
    const jh = record(encodeRecord({ dif: 0x04, vif: 0x33, data: encodeInteger(3600, 4) }));
    expect(mapRecordToSignal(jh, 0x04)).toEqual({ key: 'thermal_power', value: 1000, unit: 'W' });
    const perMin = record(encodeRecord({ dif: 0x04, vif: 0x46, data: encodeInteger(10, 4) }));
    expect(mapRecordToSignal(perMin, 0x07)?.value).toBeCloseTo(60);
    const minutes = record(encodeRecord({ dif: 0x04, vif: 0x25, data: encodeInteger(90, 4) }));
    expect(mapRecordToSignal(minutes, 0x02)).toEqual({ key: 'run_hours', value: 1.5, unit: 'h' });
  });

  it('uses accumulation and phase VIFEs for electricity import/export and per-phase keys', () => {
    const exported = record(encodeRecord({ dif: 0x04, vif: 0x86, vife: [0x3c], data: encodeInteger(5, 4) }));
    expect(mapRecordToSignal(exported, 0x02)).toEqual({ key: 'energy_export', value: 5, unit: 'kWh' });
    const l2 = record(Buffer.from('02FDC8FC02FC08', 'hex'));
    expect(mapRecordToSignal(l2, 0x02)).toEqual({ key: 'voltage_l2', value: 230, unit: 'V' });
    const cooling = record(encodeRecord({ dif: 0x04, vif: 0x06, data: encodeInteger(7, 4) }));
    expect(mapRecordToSignal(cooling, 0x0a)?.key).toBe('cooling_energy');
  });

  it('describes every record: key or none, catalogue value, raw value, unit and position', () => {
    const recs = [
      record(encodeRecord({ dif: 0x04, vif: 0x05, data: encodeInteger(123, 4) })),
      record(encodeRecord({ dif: 0x44, vif: 0x05, data: encodeInteger(100, 4) })),
    ];
    expect(mapRecords(recs, 0x02)).toEqual([
      {
        key: 'energy_import',
        value: 12.3,
        catalogueUnit: 'kWh',
        raw: { type: 'integer', value: 123, exact: '123' },
        recordValue: 12300,
        unit: 'Wh',
        description: 'Energy',
        storage: 0,
        tariff: 0,
        subunit: 0,
        function: 'instantaneous',
      },
      expect.objectContaining({ key: undefined, value: undefined, recordValue: 10000, storage: 1 }),
    ]);
  });

  it('leaves maxima, stored values, sub-units and erroneous records unmapped', () => {
    for (const hex of [
      '14 2B 01 00 00 00',
      '44 2B 01 00 00 00',
      '84 40 2B 01 00 00 00',
      '04 AB 18 01 00 00 00',
    ]) {
      expect(mapRecordToSignal(record(Buffer.from(hex.replace(/ /g, ''), 'hex')), 0x02), hex).toBeUndefined();
    }
  });
});
