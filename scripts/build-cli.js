#!/usr/bin/env node
// Builds the CLI (and so `serve`) into out/cli/ as plain JavaScript: one chunk per command, with the
// pure-JavaScript npm packages bundled in (Node then resolves, reads and links a few files instead of
// hundreds: a third of `serve`'s start was module loading, issue 14). Native addons and packages that
// find files or start workers at run time stay imports from node_modules. bin/ems-commissioner.js runs
// the build when it is newer than every source file, and the sources through tsx otherwise. esbuild
// comes with tsx, a runtime dependency. Runs on `npm install` / `npm ci` (prepare) and in
// `npm run build`; takes about a second.
import { build } from 'esbuild';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const outdir = join(root, 'out', 'cli');

/** Left as imports: native addons, worker threads, files found next to the package, or loaded only on use. */
const EXTERNAL = [
  'better-sqlite3', // native
  'serialport', // native (@serialport/bindings-cpp)
  '@serialport/*',
  'pino', // starts transports in worker threads from files of its own (thread-stream)
  'electron',
  'playwright-core', // the report's PDF printer; large, and finds its browsers from its own folder
  'mqtt', // loaded when the MQTT integration is switched on
  'prom-client', // loaded when the Prometheus integration is switched on
  // Fastify's schema compilers: api/lazy-schemas.ts loads them on a route's first use, from fastify's folder.
  '@fastify/ajv-compiler',
  '@fastify/fast-json-stringify-compiler',
  'tsx',
  'esbuild',
];

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
  external: EXTERNAL,
  // CommonJS packages bundled into ES modules still call require() for Node's own modules.
  banner: {
    js: "import { createRequire as __emsRequire } from 'node:module'; const require = __emsRequire(import.meta.url);",
  },
  sourcemap: 'linked',
  logLevel: 'warning',
  metafile: true,
});
// What the bin compares the build's time with (no tree walk): our sources, and package-lock.json for
// the bundled packages (an `npm install` of another version changes it).
const sources = Object.keys(metafile.inputs).filter((f) => !f.includes('node_modules/'));
if (existsSync(join(root, 'package-lock.json'))) sources.push('package-lock.json');
writeFileSync(join(outdir, 'inputs.json'), `${JSON.stringify(sources)}\n`);
