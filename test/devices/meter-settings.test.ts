import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Device } from '../../src-preload/contract/domain.js';
import { loadLibrary } from '../../src-main/devices/library.js';
import {
  isElectricityLoad,
  loadMeterSettingsMap,
  seedMeterSettings,
} from '../../src-main/devices/meter-settings.js';

const library = loadLibrary();
const device = (model: string | null, protocol: Device['protocol'], system: Device['system']): Device => ({
  uid: 1,
  label: 'm',
  partNumber: 'x',
  system,
  protocol,
  model,
  connection: {},
  enable: true,
  pollMs: 1000,
});

describe('the seed meter settings of a load (issue 12.5)', () => {
  it('maps the last read to seed names; system from the meter, else the configuration', () => {
    const em340 = device('cg-em340-et340', 'rtu', '1P');
    const never = seedMeterSettings(em340, library, false, undefined);
    expect(never).toEqual({ main: false, system: 3, configReadAt: null, ct: null, measureType: null });
    // EM340 system_type 1 is its 3P 3-wire choice → code 1; ct_ratio and measuring_mode as read.
    const read = seedMeterSettings(em340, library, true, {
      readAt: Date.UTC(2026, 0, 2, 3, 4, 5),
      values: { system_type: 1, ct_ratio: 40, measuring_mode: 1, baud_rate: 1 },
    });
    expect(read).toEqual({
      main: true,
      system: 1,
      configReadAt: '2026-01-02T03:04:05.000Z',
      ct: 40,
      measureType: 1,
    });
    // A model without settings still has main and system.
    expect(seedMeterSettings(device('abb-b2x', 'tcp', '3P'), library, false, undefined)).toEqual({
      main: false,
      system: 1,
      configReadAt: null,
    });
  });

  it('only electricity meters: library Modbus meters and the P1 electricity channel', () => {
    expect(isElectricityLoad(device('cg-em24-rs485', 'tcp', '3P.N'), { index: 1 }, library)).toBe(true);
    expect(isElectricityLoad(device(null, 'P1', '3P.N'), { index: 1 }, library)).toBe(true);
    expect(isElectricityLoad(device(null, 'P1', '3P.N'), { index: 2 }, library)).toBe(false);
    expect(isElectricityLoad(device(null, 'virtual', '3P.N'), { index: 1 }, library)).toBe(false);
    expect(isElectricityLoad(device(null, 'meterBus', '3P.N'), { index: 1 }, library)).toBe(false);
  });

  it('validates resources/meter-settings.json at load', () => {
    expect(loadMeterSettingsMap().systemCodes).toHaveLength(4);
    const dir = mkdtempSync(join(tmpdir(), 'ems-ms-'));
    writeFileSync(
      join(dir, 'meter-settings.json'),
      JSON.stringify({
        settings: [{ name: 'main', key: 'x' }],
        systemCodes: [],
      }),
    );
    expect(() => loadMeterSettingsMap(dir)).toThrow(/used twice/);
    writeFileSync(
      join(dir, 'meter-settings.json'),
      JSON.stringify({ settings: [{ name: 1 }], systemCodes: [] }),
    );
    expect(() => loadMeterSettingsMap(dir)).toThrow(/not valid/);
  });
});
