import type { CatalogueEntryView, ProbeRowView } from '../../../../src-preload/contract/index.js';

/** A register picked for the map, as edited in the table (the scale also as typed text). */
export interface Pick {
  register: number;
  fc: 3 | 4;
  type: 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32';
  wordOrder: WordOrder;
  scale: number;
  scaleText: string;
  key: string;
}

/** The model schema's word orders, by the byte sequence the probe table names them with. */
export type WordOrder = 'msw' | 'lsw' | 'msw-byteswap' | 'lsw-byteswap';
export const ORDER_OF: Record<string, WordOrder> = {
  ABCD: 'msw',
  CDAB: 'lsw',
  BADC: 'msw-byteswap',
  DCBA: 'lsw-byteswap',
};

/** Wiring systems a map can declare (the model schema's). */
export const SYSTEMS = ['1P', '2P', '3P', '3P.N'] as const;
export type System = (typeof SYSTEMS)[number];

/** The model-wide settings of a map: its name, identification, wiring systems and request size. */
export interface MapMeta {
  id: string;
  vendor: string;
  name: string;
  idRegister: string;
  idValue: string;
  systems: System[];
  /** As typed; the schema takes 1..125. */
  maxRegistersPerRead: string;
}

const KEY_OF: Record<string, string> = {
  voltage: 'voltage_l1',
  current: 'current_l1',
  frequency: 'frequency',
  power: 'active_power',
};

/** A pick from a probed row, taking its first hint's reading (type, order, scale) when it has one. */
export function pickFromRow(row: ProbeRowView, fc: 3 | 4, catalogue: readonly CatalogueEntryView[]): Pick {
  const h = row.hints[0];
  const base: Pick = {
    register: row.address,
    fc,
    type: 'uint16',
    wordOrder: 'msw',
    scale: 1,
    scaleText: '1',
    key: '',
  };
  if (!h) return base;
  const [kind, order] = h.as.split(' ');
  const type =
    (['int16', 'uint16', 'int32', 'uint32', 'float32'] as const).find((t) => t === kind) ?? 'uint16';
  const key = KEY_OF[h.quantity] ?? '';
  return {
    ...base,
    type,
    wordOrder: ORDER_OF[order ?? 'ABCD'] ?? 'msw',
    scale: h.scale,
    scaleText: String(h.scale),
    key: catalogue.some((c) => c.key === key) ? key : '',
  };
}

/** The model file of the map: what the library's schema checks when it is saved. */
export function buildModel(
  meta: MapMeta,
  picks: readonly Pick[],
  fc: 3 | 4,
  protocol: 'tcp' | 'rtu',
  endpoint: string,
  unitOf: (key: string) => string,
): unknown {
  const today = new Date().toISOString().slice(0, 10);
  return {
    id: meta.id.trim(),
    vendor: meta.vendor.trim() || 'Unknown maker',
    name: meta.name.trim() || meta.id.trim(),
    protocols: [protocol],
    // Kept in the schema's order; an empty choice or a bad size is left for the schema to refuse.
    systems: SYSTEMS.filter((x) => meta.systems.includes(x)),
    wordOrder: 'msw',
    maxRegistersPerRead: Number(meta.maxRegistersPerRead),
    identification: {
      register: Number(meta.idRegister),
      fc,
      type: 'uint16',
      match: [
        {
          values: [Number(meta.idValue)],
          variant: meta.name.trim() || meta.id.trim(),
          partNumber: meta.id.trim(),
        },
      ],
      source: 'SITE',
    },
    signals: picks.map((p) => ({
      key: p.key,
      register: p.register,
      fc: p.fc,
      type: p.type,
      // A 16-bit register has no word order, but it may have its bytes swapped.
      ...(p.type.endsWith('32') || p.wordOrder.endsWith('byteswap') ? { wordOrder: p.wordOrder } : {}),
      ...(p.scale !== 1 ? { scale: p.scale } : {}),
      unit: unitOf(p.key),
      source: 'SITE',
    })),
    sources: { SITE: `register map made on site on ${today} from readings of ${endpoint || 'the device'}` },
  };
}
