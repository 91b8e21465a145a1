/**
 * Writes resources/site.schema.json from the TypeBox site-file schema, for editors and for anyone who
 * writes .emssite files by other means. The importer validates with the TypeBox schema itself;
 * test/site/site-file.test.ts fails when this file is stale.
 *
 *   npx tsx scripts/export-site-schema.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { siteFileJsonSchema } from '../src-main/site/site-json-schema.js';
import { resourcesDir } from '../src-main/util/paths.js';

const file = join(resourcesDir(), 'site.schema.json');
writeFileSync(file, `${JSON.stringify(siteFileJsonSchema(), null, 2)}\n`);
console.log(`wrote ${file}`);
