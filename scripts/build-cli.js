#!/usr/bin/env node
// Builds the CLI (and so `serve`) into out/cli/ as plain JavaScript: one chunk per command, npm packages
// left as imports. bin/ems-commissioner.js runs it when it is newer than every source file, and the
// sources through tsx otherwise. esbuild comes with tsx, a runtime dependency. Runs on `npm install` /
// `npm ci` (prepare) and in `npm run build`; takes well under a second.
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const outdir = join(root, 'out', 'cli');
rmSync(outdir, { recursive: true, force: true });
const { metafile } = await build({
  absWorkingDir: root,
  entryPoints: { main: 'src-main/cli/main.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  metafile: true,
});
// The sources this build came from: the bin compares their times with the build's (no tree walk).
writeFileSync(join(outdir, 'inputs.json'), `${JSON.stringify(Object.keys(metafile.inputs))}\n`);
