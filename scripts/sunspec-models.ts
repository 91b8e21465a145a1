/**
 * Writes resources/sunspec/models.json from a checkout of the SunSpec models repository
 * (github.com/sunspec/models, Apache-2.0): only the models the generic SunSpec driver reads, and of
 * each point only what decoding needs (name, type, size, scale-factor point, units, label).
 *
 *   npx tsx scripts/sunspec-models.ts PATH/TO/sunspec-models/json COMMIT
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resourcesDir } from '../src-main/util/paths.js';

const MODELS = [1, 101, 102, 103, 111, 112, 113, 124, 160, 201, 202, 203, 204, 211, 212, 213, 214];

interface SourcePoint {
  name: string;
  type: string;
  size: number;
  sf?: string | number;
  units?: string;
  label?: string;
  count?: number | string;
}
interface SourceGroup {
  name: string;
  label?: string;
  count?: number | string;
  points: SourcePoint[];
  groups?: SourceGroup[];
}

const point = (p: SourcePoint): Record<string, unknown> => ({
  name: p.name,
  type: p.type,
  size: p.size,
  ...(p.sf !== undefined ? { sf: p.sf } : {}),
  ...(p.units !== undefined ? { units: p.units } : {}),
  ...(p.label !== undefined ? { label: p.label } : {}),
});

const [dir, commit] = process.argv.slice(2);
if (!dir || !commit) {
  console.error('usage: npx tsx scripts/sunspec-models.ts PATH/TO/json COMMIT');
  process.exit(2);
}
const models = MODELS.map((id) => {
  const doc = JSON.parse(readFileSync(join(dir, `model_${id}.json`), 'utf8')) as {
    id: number;
    group: SourceGroup;
  };
  const g = doc.group;
  return {
    id: doc.id,
    name: g.name,
    label: g.label ?? g.name,
    points: g.points.map(point),
    groups: (g.groups ?? []).map((r) => ({
      name: r.name,
      ...(r.count !== undefined ? { count: r.count } : {}),
      points: r.points.map(point),
    })),
  };
});
const out = {
  $comment: `Extracted by scripts/sunspec-models.ts from github.com/sunspec/models (Apache-2.0, Copyright SunSpec Alliance) at commit ${commit}, json/model_<id>.json: only the models the SunSpec driver reads and only the point fields decoding needs.`,
  source: { repository: 'https://github.com/sunspec/models', license: 'Apache-2.0', commit },
  models,
};
const file = join(resourcesDir(), 'sunspec', 'models.json');
writeFileSync(file, `${JSON.stringify(out, null, 1)}\n`);
console.log(`wrote ${file} (${models.length} models)`);
