import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { checkSchema } from '../util/schema-check.js';
import { resourcesDir } from '../util/paths.js';

export const CatalogueEntry = Type.Object(
  {
    si: Type.Integer({ minimum: 1 }),
    key: Type.String({ pattern: '^[a-z][a-z0-9_]*$' }),
    name: Type.String(),
    unit: Type.String(),
    type: Type.Union([
      Type.Literal('float'),
      Type.Literal('integer'),
      Type.Literal('boolean'),
      Type.Literal('string'),
    ]),
    kind: Type.Union([Type.Literal('gauge'), Type.Literal('counter')]),
  },
  { additionalProperties: false },
);
export type CatalogueEntry = Static<typeof CatalogueEntry>;

const CatalogueFile = Type.Object({
  $comment: Type.Optional(Type.String()),
  signals: Type.Array(CatalogueEntry),
});

export class SignalCatalogue {
  readonly bySi = new Map<number, CatalogueEntry>();
  readonly byKey = new Map<string, CatalogueEntry>();

  constructor(readonly entries: readonly CatalogueEntry[]) {
    for (const e of entries) {
      if (this.bySi.has(e.si)) throw new Error(`signal catalogue: si ${e.si} used twice`);
      if (this.byKey.has(e.key)) throw new Error(`signal catalogue: key ${e.key} used twice`);
      this.bySi.set(e.si, e);
      this.byKey.set(e.key, e);
    }
  }

  key(key: string): CatalogueEntry {
    const e = this.byKey.get(key);
    if (!e) throw new Error(`unknown signal key "${key}"`);
    return e;
  }
}

let cached: SignalCatalogue | undefined;

export function loadCatalogue(dir = resourcesDir()): SignalCatalogue {
  if (cached && dir === resourcesDir()) return cached;
  const file = join(dir, 'signals.json');
  const data = checkSchema(CatalogueFile, JSON.parse(readFileSync(file, 'utf8')), file);
  const cat = new SignalCatalogue(data.signals);
  if (dir === resourcesDir()) cached = cat;
  return cat;
}
