import type { ModelDef, PointDef } from './definitions.js';

/** One point of one model instance, at its absolute register address. */
export interface PlacedPoint {
  def: PointDef;
  /** Point name, with the repeating group and its 1-based index for repeated points ("module.2.DCV"). */
  path: string;
  address: number;
  /** The sunssf point that scales this one, placed (resolved within the same group instance first). */
  sf?: PlacedPoint;
  /** Fixed exponent, when the definition gives a number instead of a point name. */
  sfFixed?: number;
  group?: { name: string; index: number };
}

/**
 * Places every point of a model instance whose block (ID, L, body) starts at `start` and whose L is
 * `length`: the fixed part first, then repeating groups as many times as the length leaves room for.
 * Pure: used by the driver, the discovery and the simulator image alike.
 */
export function placePoints(def: ModelDef, start: number, length: number): PlacedPoint[] {
  const out: PlacedPoint[] = [];
  let at = start;
  const fixed: PlacedPoint[] = [];
  for (const p of def.points) {
    fixed.push({ def: p, path: p.name, address: at });
    at += p.size;
  }
  out.push(...fixed);
  const end = start + 2 + length;
  for (const g of def.groups) {
    const size = g.points.reduce((n, p) => n + p.size, 0);
    // count 0 or a point name: as many repeats as the declared length allows (the N point must agree).
    const repeats =
      typeof g.count === 'number' && g.count > 0 ? g.count : Math.max(0, Math.floor((end - at) / size));
    for (let i = 1; i <= repeats; i++) {
      const inst: PlacedPoint[] = [];
      for (const p of g.points) {
        inst.push({
          def: p,
          path: `${g.name}.${i}.${p.name}`,
          address: at,
          group: { name: g.name, index: i },
        });
        at += p.size;
      }
      resolveScale(inst, fixed);
      out.push(...inst);
    }
  }
  resolveScale(fixed, fixed);
  return out;
}

function resolveScale(points: PlacedPoint[], fixed: readonly PlacedPoint[]): void {
  for (const p of points) {
    const sf = p.def.sf;
    if (typeof sf === 'number') p.sfFixed = sf;
    else if (typeof sf === 'string')
      p.sf = points.find((q) => q.def.name === sf) ?? fixed.find((q) => q.def.name === sf);
  }
}

/** Register count of a model block as defined (ID and L included), with no repeating groups. */
export function fixedSize(def: ModelDef): number {
  return def.points.reduce((n, p) => n + p.size, 0);
}
