import { SiteFileSchema } from '../../src-preload/contract/site.js';

/** The site-file schema as a plain JSON Schema document (resources/site.schema.json). */
export function siteFileJsonSchema(): Record<string, unknown> {
  const plain = JSON.parse(JSON.stringify(SiteFileSchema)) as Record<string, unknown>;
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...plain };
}
