import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeP1Input } from '../../../src-main/cli/decode-p1.js';
import { encodeP1Telegram } from '../../../src-main/protocol/p1/encoder.js';
import { P1_SIGNAL_KEYS, type P1Sample } from '../../../src-main/protocol/p1/signals.js';
import { corpusBytes, corpusNames } from './corpus.js';

const catalogue = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../../resources/signals.json', import.meta.url)), 'utf8'),
) as { signals: { si: number; key: string; unit: string; type: string }[] };

function samplesOf(bytes: Buffer, receivedAt = 0): P1Sample[] {
  const d = decodeP1Input(bytes, { receivedAt });
  expect(d.failures).toEqual([]);
  return d.telegrams.flatMap((t) => t.signals.samples);
}

const byKey = (samples: P1Sample[]): Record<string, P1Sample> =>
  Object.fromEntries(samples.map((s) => [s.channel === undefined ? s.key : `${s.key}[${s.channel}]`, s]));

describe('mapping P1 to the signal catalogue', () => {
  it('uses only catalogue keys, in catalogue units', () => {
    const units = new Map(catalogue.signals.map((s) => [s.key, s.unit]));
    for (const [key, unit] of P1_SIGNAL_KEYS) expect([key, units.get(key)]).toEqual([key, unit]);
  });

  it.each(corpusNames('dsmr_parser'))(
    '%s: every sample has a catalogue key, its unit and a finite value',
    (name) => {
      const types = new Map(catalogue.signals.map((s) => [s.key, s.type]));
      for (const s of samplesOf(corpusBytes('dsmr_parser', name))) {
        expect(P1_SIGNAL_KEYS.get(s.key), s.key).toBe(s.unit);
        if (types.get(s.key) === 'string') expect(typeof s.value).toBe('string');
        else expect(Number.isFinite(s.value), s.key).toBe(true);
        if (types.get(s.key) === 'integer') expect(Number.isInteger(s.value), s.key).toBe(true);
      }
    },
  );

  it('converts kW to W exactly and keeps the telegram time', () => {
    const s = byKey(samplesOf(corpusBytes('dsmr_parser', 'dsmr_v5_iskra_mt382')));
    const t = Date.UTC(2017, 0, 2, 18, 20, 2);
    expect(s['power_import']).toEqual({ key: 'power_import', value: 244, unit: 'W', t, obis: '1-0:1.7.0' });
    expect(s['active_power_import_l1']?.value).toBe(70);
    expect(s['energy_import_t1']).toMatchObject({ value: 4.426, unit: 'kWh', t });
    expect(s['current_l3']).toMatchObject({ value: 0.86, unit: 'A' });
    expect(s['tariff']).toMatchObject({ value: 2, unit: '' });
    expect(s['power_failures']?.value).toBe(13);
    expect(s['text_message']?.value).toBe('');
  });

  it('stamps M-Bus readings with their capture time and channel, by device type', () => {
    const s = byKey(samplesOf(corpusBytes('dsmr_parser', 'be_fluvius_v1_7_1')));
    expect(s['gas_volume[1]']).toEqual({
      key: 'gas_volume',
      value: 112.384,
      unit: 'm3',
      t: Date.UTC(2020, 4, 12, 11, 45, 58),
      channel: 1,
      obis: '0-1:24.2.3',
    });
    expect(s['water_volume[2]']).toMatchObject({ value: 872.234, channel: 2, obis: '0-2:24.2.1' });
    expect(s['switch_position[1]']?.value).toBe(1);
    expect(s['demand_power']?.value).toBe(2351);
    expect(s['demand_power_max']?.value).toBe(2589);
    expect(s['power_limit_threshold']).toMatchObject({ value: 999.9, unit: 'kW' });
  });

  it('converts heat in GJ to kWh and Wh/varh registers to kWh/kvarh', () => {
    const heat = byKey(samplesOf(corpusBytes('dsmr_parser', 'dsmr_v5_nwa_warmtelink_unpadded_crc')));
    expect(heat['heat_energy[1]']?.value).toBeCloseTo((240.86 * 1e6) / 3600, 6);
    const at = byKey(samplesOf(corpusBytes('dsmr_parser', 'at_sagemcom_t210_d_r_plaintext')));
    expect(at['energy_import']?.value).toBe(6545.766);
    expect(at['reactive_energy_export']?.value).toBe(3897.726);
    expect(at['power_import']?.value).toBe(286);
  });

  it('leaves out placeholder readings of empty M-Bus channels and says why', () => {
    const d = decodeP1Input(corpusBytes('dsmr_parser', 'dsmr_v5_iskra_am550_two_mbus'), { receivedAt: 0 });
    const signals = d.telegrams[0]!.signals;
    expect(signals.samples.filter((s) => s.channel !== undefined).map((s) => [s.key, s.channel])).toEqual([
      ['gas_volume', 2],
    ]);
    expect(signals.unmapped).toContainEqual({
      obis: '0-1:24.2.1',
      why: 'capture time 700101010000W is a placeholder',
    });
    expect(signals.meta.mbus).toEqual([
      { channel: 1, deviceType: 3, deviceTypeName: 'gas', equipmentId: null },
      { channel: 2, deviceType: 3, deviceTypeName: 'gas', equipmentId: 'G0039001936990619' },
    ]);
  });

  it('uses the receive time for telegrams without a clock (DSMR 2.2/3) and skips values in the wrong unit', () => {
    const d = decodeP1Input(corpusBytes('dsmr_parser', 'dsmr_v3_iskra_mt382'), {
      receivedAt: 1_700_000_000_000,
    });
    const signals = d.telegrams[0]!.signals;
    const s = byKey(signals.samples);
    expect(s['power_import']).toMatchObject({ value: 1190, t: 1_700_000_000_000 });
    expect(s['gas_volume[1]']).toMatchObject({ value: 1.001, t: Date.UTC(2009, 1, 12, 15) });
    expect(s['text_message']?.value).toBe('0123456789:;<=>?'.repeat(5));
    // DSMR 3 gives the breaker threshold in A; the catalogue signal is in kW.
    expect(s['power_limit_threshold']).toBeUndefined();
    expect(signals.unmapped).toContainEqual({ obis: '0-0:17.0.0', why: 'unit A does not convert to kW' });
  });

  it('maps tariffs 3 and 4 and totals where the meter sends them', () => {
    const s = byKey(samplesOf(corpusBytes('dsmr_parser', 'hu_eon_sagemcom_v5')));
    expect(Object.keys(s)).toEqual(
      expect.arrayContaining([
        'energy_import',
        'energy_export',
        'energy_import_t4',
        'energy_export_t3',
        'frequency',
      ]),
    );
    expect(s['energy_export']?.value).toBe(627.177);
    expect(s['power_export']?.value).toBe(2601);
  });

  it('drops nothing silently: an unknown object is listed as unmapped', () => {
    const samples = decodeP1Input(
      encodeP1Telegram('XYZ5', ['1-0:99.1.0(1.5*kW)', '1-0:1.7.0(01.500*kW)'], { crc: true }),
      {
        receivedAt: 5,
      },
    ).telegrams[0]!.signals;
    expect(samples.samples).toEqual([
      { key: 'power_import', value: 1500, unit: 'W', t: 5, obis: '1-0:1.7.0' },
    ]);
    expect(samples.unmapped).toEqual([{ obis: '1-0:99.1.0', why: 'no catalogue signal' }]);
  });
});
