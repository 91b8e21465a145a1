import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLibrary } from '../../src-main/devices/library.js';

const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
const section = readme.slice(
  readme.indexOf('## Device library'),
  readme.indexOf('\n## ', readme.indexOf('## Device library') + 5),
);

describe('README model list', () => {
  it('lists every model of the device library, and SunSpec', () => {
    expect(section.length).toBeGreaterThan(100);
    const listed = [...section.matchAll(/^\| `([a-z0-9-]+)` /gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual([...loadLibrary().all.map((m) => m.id), 'sunspec'].sort());
  });
});
