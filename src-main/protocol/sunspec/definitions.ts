import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { checkSchema } from '../../util/schema-check.js';
import { resourcesDir } from '../../util/paths.js';

/** SunSpec point types (the models repository's closed set). */
export const PointType = Type.Union(
  [
    'int16',
    'uint16',
    'count',
    'acc16',
    'enum16',
    'bitfield16',
    'pad',
    'sunssf',
    'int32',
    'uint32',
    'acc32',
    'enum32',
    'bitfield32',
    'ipaddr',
    'int64',
    'uint64',
    'acc64',
    'float32',
    'float64',
    'string',
    'ipv6addr',
    'eui48',
  ].map((t) => Type.Literal(t)),
);
export type PointType = Static<typeof PointType>;

export const PointDef = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    type: PointType,
    size: Type.Integer({ minimum: 1, maximum: 64 }),
    /** Name of the sunssf point that scales this one (or a fixed exponent). */
    sf: Type.Optional(Type.Union([Type.String(), Type.Integer()])),
    units: Type.Optional(Type.String()),
    label: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type PointDef = Static<typeof PointDef>;

export const GroupDef = Type.Object(
  {
    name: Type.String(),
    /** Repeat count: a number, or the name of the point that holds it; 0 = as many as the length allows. */
    count: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.String()])),
    points: Type.Array(PointDef, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type GroupDef = Static<typeof GroupDef>;

export const ModelDef = Type.Object(
  {
    id: Type.Integer({ minimum: 1, maximum: 0xfffe }),
    name: Type.String(),
    label: Type.String(),
    points: Type.Array(PointDef, { minItems: 2 }),
    groups: Type.Array(GroupDef),
  },
  { additionalProperties: false },
);
export type ModelDef = Static<typeof ModelDef>;

const DefinitionsFile = Type.Object(
  {
    $comment: Type.Optional(Type.String()),
    source: Type.Object({ repository: Type.String(), license: Type.String(), commit: Type.String() }),
    models: Type.Array(ModelDef, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export class SunSpecDefinitions {
  readonly byId = new Map<number, ModelDef>();

  constructor(models: readonly ModelDef[]) {
    for (const m of models) {
      if (this.byId.has(m.id)) throw new Error(`SunSpec definitions: model ${m.id} defined twice`);
      const [id, len] = m.points;
      if (id?.name !== 'ID' || len?.name !== 'L')
        throw new Error(`SunSpec definitions: model ${m.id} does not start with ID and L`);
      const names = new Set(m.points.map((p) => p.name));
      for (const p of [...m.points, ...m.groups.flatMap((g) => g.points)])
        if (
          typeof p.sf === 'string' &&
          !names.has(p.sf) &&
          !m.groups.some((g) => g.points.some((q) => q.name === p.sf))
        )
          throw new Error(
            `SunSpec definitions: model ${m.id} point ${p.name} names a missing scale factor ${p.sf}`,
          );
      this.byId.set(m.id, m);
    }
  }

  get(id: number): ModelDef | undefined {
    return this.byId.get(id);
  }
}

let cached: SunSpecDefinitions | undefined;

/** The SunSpec model definitions kept as data (resources/sunspec/models.json), validated at load. */
export function loadSunSpecDefinitions(dir = resourcesDir()): SunSpecDefinitions {
  if (cached && dir === resourcesDir()) return cached;
  const file = join(dir, 'sunspec', 'models.json');
  const data = checkSchema(DefinitionsFile, JSON.parse(readFileSync(file, 'utf8')), file);
  const defs = new SunSpecDefinitions(data.models);
  if (dir === resourcesDir()) cached = defs;
  return defs;
}
