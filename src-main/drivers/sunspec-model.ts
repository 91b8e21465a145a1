import type { SignalCatalogue } from '../devices/catalogue.js';
import type { DeviceModel, ModelSignal, RegisterType, SystemType } from '../devices/model-schema.js';
import type { SunSpecChain, ChainEntry } from '../protocol/sunspec/chain.js';
import type { CommonInfo } from '../protocol/sunspec/common.js';
import type { PointType, SunSpecDefinitions } from '../protocol/sunspec/definitions.js';
import { placePoints } from '../protocol/sunspec/layout.js';
import { familyOf, signalOfPoint } from '../protocol/sunspec/signal-map.js';

/** The model id of the generic SunSpec driver; `sunspec:203` (or `sunspec:203:2`) picks one model instance. */
export const SUNSPEC_ID = 'sunspec';

export interface SunSpecRole {
  /** A SunSpec model id, or undefined for the device's main role (its inverter, else its meter). */
  model?: number;
  /** 1-based instance of that model id in the chain. */
  instance: number;
}

export function isSunSpecId(id: string | null | undefined): boolean {
  return id === SUNSPEC_ID || (id ?? '').startsWith(`${SUNSPEC_ID}:`);
}

/** Parses `sunspec`, `sunspec:203`, `sunspec:203:2`; throws with the reason on anything else. */
export function parseRole(id: string): SunSpecRole {
  if (id === SUNSPEC_ID) return { instance: 1 };
  const m = /^sunspec:(\d{1,5})(?::(\d{1,2}))?$/.exec(id);
  if (!m)
    throw new Error(`"${id}" is not a SunSpec model choice (sunspec, sunspec:MODEL or sunspec:MODEL:N)`);
  const model = Number(m[1]);
  if (!familyOf(model))
    throw new Error(
      `SunSpec model ${model} is not one the driver reads (inverters 101-103/111-113, meters 201-204/211-214, MPPT 160, storage 124)`,
    );
  const instance = m[2] === undefined ? 1 : Number(m[2]);
  if (instance < 1) throw new Error(`"${id}": the instance counts from 1`);
  return { model, instance };
}

/** The chain entries a role reads: one inverter or meter, with MPPT and storage models beside an inverter. */
export function entriesFor(chain: SunSpecChain, role: SunSpecRole): ChainEntry[] {
  if (role.model !== undefined) {
    const same = chain.models.filter((m) => m.id === role.model);
    const picked = same[role.instance - 1];
    if (!picked)
      throw new Error(
        `the SunSpec chain at ${chain.base} has ${same.length} model ${role.model} instance(s), not ${role.instance}`,
      );
    if (familyOf(picked.id) !== 'inverter') return [picked];
    return [picked, ...extrasOf(chain)];
  }
  const inverter = chain.models.find((m) => familyOf(m.id) === 'inverter');
  if (inverter) return [inverter, ...extrasOf(chain)];
  const meter = chain.models.find((m) => familyOf(m.id) === 'meter');
  if (meter) return [meter];
  const extras = extrasOf(chain);
  if (extras.length) return extras;
  throw new Error(
    `the SunSpec chain at ${chain.base} holds no inverter, meter, MPPT or storage model (models ${chain.models.map((m) => m.id).join(', ')})`,
  );
}

function extrasOf(chain: SunSpecChain): ChainEntry[] {
  const f = (fam: string): ChainEntry | undefined => chain.models.find((m) => familyOf(m.id) === fam);
  return [f('mppt'), f('storage')].filter((e): e is ChainEntry => e !== undefined);
}

function registerType(t: PointType): { type: RegisterType; invalidRaw?: number[] } | undefined {
  switch (t) {
    case 'int16':
      return { type: 'int16', invalidRaw: [-0x8000] };
    case 'uint16':
    case 'count':
    case 'enum16':
    case 'bitfield16':
      return { type: 'uint16', invalidRaw: [0xffff] };
    case 'acc16':
      return { type: 'uint16', invalidRaw: [0] };
    case 'int32':
      return { type: 'int32', invalidRaw: [-0x80000000] };
    case 'uint32':
    case 'enum32':
    case 'bitfield32':
      return { type: 'uint32', invalidRaw: [0xffffffff] };
    case 'acc32':
      return { type: 'uint32', invalidRaw: [0] };
    case 'float32':
      return { type: 'float32' };
    case 'float64':
      return { type: 'float64' };
    default:
      return undefined;
  }
}

const SYSTEM: Record<number, SystemType> = {
  101: '1P',
  111: '1P',
  201: '1P',
  211: '1P',
  102: '2P',
  112: '2P',
  202: '2P',
  212: '2P',
  103: '3P.N',
  113: '3P.N',
  203: '3P.N',
  213: '3P.N',
  204: '3P',
  214: '3P',
};

const SOURCE = 'SUNSPEC_MODELS';

/**
 * The register map of one SunSpec device, as a model definition the generic Modbus driver executes:
 * built from the chain the device reported and the SunSpec model definitions, with each scaled point
 * reading its scale-factor register in the same cycle and "not implemented" markers as no value.
 */
export function sunspecDeviceModel(
  defs: SunSpecDefinitions,
  chain: SunSpecChain,
  id: string,
  catalogue: SignalCatalogue,
  common: CommonInfo = {},
): DeviceModel {
  const role = parseRole(id);
  const entries = entriesFor(chain, role);
  const signals: ModelSignal[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    const def = defs.get(e.id);
    if (!def) continue;
    for (const p of placePoints(def, e.address, e.length)) {
      const map = signalOfPoint(e.id, p.path);
      const rt = registerType(p.def.type);
      const entry = map ? catalogue.byKey.get(map.key) : undefined;
      if (!map || !rt || !entry || seen.has(map.key)) continue;
      if (p.def.sf !== undefined && !p.sf && p.sfFixed === undefined) continue;
      seen.add(map.key);
      const factor = (map.factor ?? 1) * 10 ** (p.sfFixed ?? 0);
      signals.push({
        key: map.key,
        register: p.address,
        fc: 3,
        type: rt.type,
        ...(factor !== 1 ? { scale: factor } : {}),
        ...(p.sf ? { scaleRegister: p.sf.address } : {}),
        unit: entry.unit,
        ...(rt.invalidRaw ? { invalidRaw: rt.invalidRaw } : {}),
        note: `SunSpec model ${e.id} ${p.path}`,
        source: SOURCE,
      });
    }
  }
  const main = entries[0]!;
  return {
    id,
    vendor: common.manufacturer ?? 'SunSpec',
    name: common.model ?? `SunSpec model ${main.id}`,
    protocols: ['rtu', 'tcp'],
    systems: [SYSTEM[main.id] ?? '3P.N'],
    wordOrder: 'msw',
    maxRegistersPerRead: 125,
    identification: {
      register: chain.base,
      fc: 3,
      type: 'ascii',
      words: 2,
      match: [
        {
          text: 'SunS',
          variant: `SunSpec ${entries.map((e) => e.id).join('+')}`,
          partNumber: common.model ?? SUNSPEC_ID,
        },
      ],
      source: SOURCE,
    },
    signals,
    sources: {
      [SOURCE]:
        'SunSpec Alliance information models, github.com/sunspec/models (Apache-2.0), resources/sunspec/models.json',
    },
  };
}

/** Stand-in before the chain is read: what a command needs to parse its target (ids, defaults). */
export function sunspecPlaceholder(id: string): DeviceModel {
  parseRole(id);
  return {
    id,
    vendor: 'SunSpec',
    name: 'SunSpec device',
    protocols: ['rtu', 'tcp'],
    systems: ['3P.N'],
    wordOrder: 'msw',
    maxRegistersPerRead: 125,
    identification: {
      register: 40000,
      fc: 3,
      type: 'ascii',
      words: 2,
      match: [{ text: 'SunS', variant: 'SunSpec', partNumber: SUNSPEC_ID }],
      source: SOURCE,
    },
    signals: [],
    sources: { [SOURCE]: 'SunSpec Alliance information models, github.com/sunspec/models (Apache-2.0)' },
  };
}
