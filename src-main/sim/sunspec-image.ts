import { END_MODEL_ID, SUNS_MARKER } from '../protocol/sunspec/chain.js';
import type { SunSpecDefinitions } from '../protocol/sunspec/definitions.js';
import { fixedSize, placePoints } from '../protocol/sunspec/layout.js';
import { encodePoint } from '../protocol/sunspec/values.js';

/** A model in a simulated chain: a defined one with point values, or a vendor model the client must skip. */
export type ImageModel =
  | {
      id: number;
      /**
       * Point values by name ("module.2.DCV" for repeated points): scale-factor points as exponents,
       * scaled points in engineering units (divided by 10^sf here), strings as text. Points not given
       * hold their "not implemented" marker.
       */
      values: Record<string, number | string>;
      /** Repetitions of the model's repeating group (MPPT modules). */
      repeats?: number;
    }
  | { id: number; vendorLength: number };

/**
 * The registers of a SunSpec device built from the SunSpec model definitions: the "SunS" marker at
 * `base`, each model's ID and L, its points encoded by type, and the end model. Used by the
 * simulator and by tests, which serve it from a pymodbus slave.
 */
export function sunspecImage(
  defs: SunSpecDefinitions,
  base: number,
  models: readonly ImageModel[],
): number[] {
  const words: number[] = [...SUNS_MARKER];
  for (const m of models) {
    if ('vendorLength' in m) {
      words.push(
        m.id,
        m.vendorLength,
        ...Array.from({ length: m.vendorLength }, (_, i) => (i * 7919) & 0xffff),
      );
      continue;
    }
    const def = defs.get(m.id);
    if (!def) throw new Error(`no SunSpec definition for model ${m.id}`);
    const groupSize = def.groups.reduce((n, g) => n + g.points.reduce((k, p) => k + p.size, 0), 0);
    const length = fixedSize(def) - 2 + (m.repeats ?? 0) * groupSize;
    const start = base + words.length;
    const block = new Array<number>(length + 2).fill(0);
    const points = placePoints(def, start, length);
    const values: Record<string, number | string> = { ...m.values, ID: m.id, L: length };
    if (
      def.groups.length &&
      m.repeats !== undefined &&
      'N' in Object.fromEntries(def.points.map((p) => [p.name, 1]))
    )
      values.N = m.repeats;
    for (const p of points) {
      const given = values[p.path];
      let v: number | string | undefined = given;
      if (typeof given === 'number' && p.def.type !== 'sunssf') {
        const sf = p.sf ? values[p.sf.path] : p.sfFixed;
        if (p.def.sf !== undefined) v = typeof sf === 'number' ? given / 10 ** sf : undefined;
      }
      const enc = encodePoint(p.def.type, p.def.size, v);
      block.splice(p.address - start, p.def.size, ...enc);
    }
    words.push(...block);
  }
  words.push(END_MODEL_ID, 0);
  return words;
}
