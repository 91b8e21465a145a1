/**
 * Which SunSpec points become which catalogue signals. Point names are the SunSpec models'; the
 * factor turns the model's unit into the catalogue's (Wh → kWh, percent → fraction).
 * Float meters (211–214) give PF in a unit the definitions call "PF" without saying its range, so
 * their power factor is left unmapped rather than guessed.
 */
export interface PointSignal {
  key: string;
  factor?: number;
}

export type ModelFamily = 'inverter' | 'meter' | 'mppt' | 'storage';

export const INVERTER_MODELS = [101, 102, 103, 111, 112, 113] as const;
export const METER_MODELS = [201, 202, 203, 204, 211, 212, 213, 214] as const;
export const MPPT_MODEL = 160;
export const STORAGE_MODEL = 124;
export const COMMON_MODEL = 1;

export function familyOf(id: number): ModelFamily | undefined {
  if ((INVERTER_MODELS as readonly number[]).includes(id)) return 'inverter';
  if ((METER_MODELS as readonly number[]).includes(id)) return 'meter';
  if (id === MPPT_MODEL) return 'mppt';
  if (id === STORAGE_MODEL) return 'storage';
  return undefined;
}

const phases = (prefix: string, key: string, factor?: number): Record<string, PointSignal> => ({
  [`${prefix}A`]: { key: `${key}_l1`, factor },
  [`${prefix}B`]: { key: `${key}_l2`, factor },
  [`${prefix}C`]: { key: `${key}_l3`, factor },
});

const INVERTER: Record<string, PointSignal> = {
  ...phases('Aph', 'current'),
  PPVphAB: { key: 'voltage_l1_l2' },
  PPVphBC: { key: 'voltage_l2_l3' },
  PPVphCA: { key: 'voltage_l3_l1' },
  ...phases('PhVph', 'voltage'),
  W: { key: 'active_power' },
  Hz: { key: 'frequency' },
  VA: { key: 'apparent_power' },
  VAr: { key: 'reactive_power' },
  PF: { key: 'power_factor', factor: 0.01 },
  WH: { key: 'energy_produced', factor: 0.001 },
  DCA: { key: 'dc_current' },
  DCV: { key: 'dc_voltage' },
  DCW: { key: 'dc_power' },
  TmpCab: { key: 'cabinet_temperature' },
  St: { key: 'inverter_state' },
};

const METER: Record<string, PointSignal> = {
  ...phases('Aph', 'current'),
  PhV: { key: 'voltage_ln' },
  ...phases('PhVph', 'voltage'),
  PPV: { key: 'voltage_ll' },
  PhVphAB: { key: 'voltage_l1_l2' },
  PhVphBC: { key: 'voltage_l2_l3' },
  PhVphCA: { key: 'voltage_l3_l1' },
  PPVphAB: { key: 'voltage_l1_l2' },
  PPVphBC: { key: 'voltage_l2_l3' },
  PPVphCA: { key: 'voltage_l3_l1' },
  Hz: { key: 'frequency' },
  W: { key: 'active_power' },
  ...phases('Wph', 'active_power'),
  VA: { key: 'apparent_power' },
  ...phases('VAph', 'apparent_power'),
  VAR: { key: 'reactive_power' },
  ...phases('VARph', 'reactive_power'),
  TotWhExp: { key: 'energy_export', factor: 0.001 },
  TotWhImp: { key: 'energy_import', factor: 0.001 },
  ...phases('TotWhExpPh', 'energy_export', 0.001),
  ...phases('TotWhImpPh', 'energy_import', 0.001),
};

const INT_METER: Record<string, PointSignal> = {
  ...METER,
  PF: { key: 'power_factor', factor: 0.01 },
  ...phases('PFph', 'power_factor', 0.01),
};

const STORAGE: Record<string, PointSignal> = {
  ChaState: { key: 'battery_soc' },
  InBatV: { key: 'battery_voltage' },
  ChaSt: { key: 'battery_state' },
};

/** MPPT modules 1–4 map to mpptN_*; further modules have no catalogue signal. */
const MPPT_MODULES = 4;

/** The catalogue signal of one placed point ("module.2.DCV" for repeated points), if it has one. */
export function signalOfPoint(modelId: number, path: string): PointSignal | undefined {
  const family = familyOf(modelId);
  if (family === 'mppt') {
    const m = /^module\.(\d+)\.(DCA|DCV|DCW)$/.exec(path);
    if (!m) return undefined;
    const n = Number(m[1]);
    if (n > MPPT_MODULES) return undefined;
    const what = m[2] === 'DCA' ? 'current' : m[2] === 'DCV' ? 'voltage' : 'power';
    return { key: `mppt${n}_${what}` };
  }
  const table =
    family === 'inverter'
      ? INVERTER
      : family === 'storage'
        ? STORAGE
        : family === 'meter'
          ? modelId < 210
            ? INT_METER
            : METER
          : undefined;
  return table && Object.hasOwn(table, path) ? table[path] : undefined;
}
