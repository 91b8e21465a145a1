import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import type { Device, Load, SystemType } from '../../src-preload/contract/domain.js';
import { SYSTEM_TYPE_KEY, systemOfValue } from '../drivers/system-type.js';
import { checkSchema } from '../util/schema-check.js';
import { resourcesDir } from '../util/paths.js';
import type { DeviceLibrary } from './library.js';

const SystemLiteral = Type.Union([
  Type.Literal('1P'),
  Type.Literal('2P'),
  Type.Literal('3P'),
  Type.Literal('3P.N'),
]);

const MeterSettingsFile = Type.Object(
  {
    $comment: Type.Optional(Type.String()),
    settings: Type.Array(
      Type.Object(
        {
          name: Type.String({ pattern: '^[a-z][A-Za-z]*$' }),
          key: Type.String({ pattern: '^[a-z][a-z0-9_]*$' }),
        },
        { additionalProperties: false },
      ),
    ),
    systemCodes: Type.Array(
      Type.Object(
        { code: Type.Integer({ minimum: 0 }), system: SystemLiteral, label: Type.String() },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type MeterSettingsMap = Static<typeof MeterSettingsFile>;

let cached: MeterSettingsMap | undefined;

/** resources/meter-settings.json: the seed's setting names, their config keys and the system codes. */
export function loadMeterSettingsMap(dir = resourcesDir()): MeterSettingsMap {
  if (cached && dir === resourcesDir()) return cached;
  const file = join(dir, 'meter-settings.json');
  const data = checkSchema(MeterSettingsFile, JSON.parse(readFileSync(file, 'utf8')), file);
  const names = new Set(['main', 'system', 'configReadAt']);
  for (const s of data.settings) {
    if (names.has(s.name)) throw new Error(`${file}: setting name "${s.name}" used twice`);
    names.add(s.name);
  }
  const systems = new Set<string>();
  const codes = new Set<number>();
  for (const c of data.systemCodes) {
    if (systems.has(c.system) || codes.has(c.code))
      throw new Error(`${file}: system ${c.system} or code ${c.code} used twice`);
    systems.add(c.system);
    codes.add(c.code);
  }
  if (systems.size !== 4)
    throw new Error(`${file}: systemCodes must give a code to each of 1P, 2P, 3P, 3P.N`);
  if (dir === resourcesDir()) cached = data;
  return data;
}

/** The seed's meter-side configuration of one load, beside its connection fields. */
export interface SeedMeterSettings {
  /** This load is the site's main (grid) meter. */
  main: boolean;
  /** Wiring system code (resources/meter-settings.json systemCodes). */
  system: number;
  /** When the meter's settings were last read, ISO 8601; null when never read. */
  configReadAt: string | null;
  /** ct, measureType, …: only those the model knows; null where never read or not readable. */
  [name: string]: boolean | number | string | null;
}

export interface LastRead {
  readAt: number;
  values: Readonly<Record<string, number | null>>;
}

/**
 * Loads of electricity meters: every load of a Modbus meter of the device library, and the
 * electricity channel (index 1) of a P1 port (its other channels are M-Bus gas, water or heat
 * meters). M-Bus, SunSpec and virtual devices are not treated as electricity meters.
 */
export function isElectricityLoad(
  device: Device,
  load: Pick<Load, 'index'>,
  library: DeviceLibrary,
): boolean {
  if (device.protocol === 'P1') return load.index === 1;
  if (device.protocol !== 'rtu' && device.protocol !== 'tcp') return false;
  return !!device.model && !!library.get(device.model);
}

/**
 * The seed's settings of a meter's load: `main` from the technician's choice, `system` as the meter
 * reported it at the last read (the configured wiring when the meter was not read or has no such
 * setting), the others from the last read, present only where the model has the setting.
 */
export function seedMeterSettings(
  device: Device,
  library: DeviceLibrary,
  main: boolean,
  last: LastRead | undefined,
  map: MeterSettingsMap = loadMeterSettingsMap(),
): SeedMeterSettings {
  const model = device.model ? library.get(device.model) : undefined;
  const keys = new Set((model?.config ?? []).filter((c) => !c.writeOnly).map((c) => c.key));
  const code = (s: SystemType): number => map.systemCodes.find((c) => c.system === s)?.code ?? 0;
  const raw = keys.has(SYSTEM_TYPE_KEY) ? last?.values[SYSTEM_TYPE_KEY] : undefined;
  const read = model && typeof raw === 'number' ? systemOfValue(model, raw) : undefined;
  const out: SeedMeterSettings = {
    main,
    system: code(read ?? device.system),
    configReadAt: last ? new Date(last.readAt).toISOString() : null,
  };
  for (const s of map.settings)
    if (keys.has(s.key)) {
      const v = last?.values[s.key];
      out[s.name] = typeof v === 'number' ? v : null;
    }
  return out;
}
