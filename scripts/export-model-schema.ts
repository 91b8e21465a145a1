/**
 * Writes resources/devices/device-model.schema.json from the TypeBox model schema, so editors can
 * check a model file while it is written. The loader still validates with the TypeBox schema itself;
 * test/devices/library.test.ts fails when this file is stale.
 *
 *   npx tsx scripts/export-model-schema.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deviceModelJsonSchema } from '../src-main/devices/model-schema.js';
import { resourcesDir } from '../src-main/util/paths.js';

const schemaFileName = 'device-model.schema.json';

const file = join(resourcesDir(), 'devices', schemaFileName);
writeFileSync(file, `${JSON.stringify(deviceModelJsonSchema(), null, 2)}\n`);
console.log(`wrote ${file}`);
