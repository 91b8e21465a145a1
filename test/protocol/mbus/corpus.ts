import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SHARED, sharedPath } from '../../helpers/shared-dir.js';

/** The shared corpus lives beside the repository: <parent>/shared/corpora/mbus. */
export const MBUS_CORPUS = path.join(SHARED, 'corpora', 'mbus');

/** A corpus file or folder; a missing one fails naming its path. */
export function corpusFile(...parts: string[]): string {
  return sharedPath('corpora', 'mbus', ...parts);
}

export function listCorpus(folder: string, ext: string): string[] {
  return readdirSync(corpusFile(folder))
    .filter((f) => f.endsWith(ext) && !(ext === '.xml' && f.endsWith('.norm.xml')))
    .sort();
}

export interface LibmbusRecord {
  id: number;
  fields: Record<string, string>;
}

export interface LibmbusXml {
  slave: Record<string, string>;
  records: LibmbusRecord[];
}

const decodeEntities = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

function elements(block: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of block.matchAll(/<(\w+)>([^<]*)<\/\1>/g)) {
    const [, name, value] = m;
    if (name !== undefined && value !== undefined) out[name] = decodeEntities(value);
  }
  return out;
}

/**
 * Reads libmbus's XML output. The files declare ISO-8859-1 but the non-ASCII ones are UTF-8
 * (see SOURCE.md), so they are read as UTF-8 and the prolog is ignored.
 */
export function readLibmbusXml(file: string): LibmbusXml {
  const text = readFileSync(file, 'utf8');
  const slave = elements(/<SlaveInformation>([\s\S]*?)<\/SlaveInformation>/.exec(text)?.[1] ?? '');
  const records = [...text.matchAll(/<DataRecord id="(\d+)"[^>]*>([\s\S]*?)<\/DataRecord>/g)].map((m) => ({
    id: Number(m[1]),
    fields: elements(m[2] ?? ''),
  }));
  return { slave, records };
}
