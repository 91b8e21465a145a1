#!/usr/bin/env node
// Electron has its own native ABI: better-sqlite3 is built a second time for it, into .electron-native/,
// so the same checkout keeps a Node build (CLI, tests) and an Electron build (desktop window) side by side.
import { cpSync, existsSync, mkdirSync, mkdtempSync, copyFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const target = join(root, '.electron-native', 'better_sqlite3.node');
const electronVersion = require('electron/package.json').version;
const stamp = join(root, '.electron-native', `electron-${electronVersion}`);
if (existsSync(target) && existsSync(stamp)) process.exit(0);

const src = dirname(require.resolve('better-sqlite3/package.json'));
const work = mkdtempSync(join(tmpdir(), 'ems-electron-native-'));
cpSync(src, work, { recursive: true, filter: (p) => !p.includes(`${'build'}/Release/obj`) });
rmSync(join(work, 'build'), { recursive: true, force: true });
const env = {
  ...process.env,
  npm_config_runtime: 'electron',
  npm_config_target: electronVersion,
  npm_config_disturl: 'https://electronjs.org/headers',
};
delete env.npm_config_nodedir;
const bin = (name) => join(root, 'node_modules', '.bin', name);
console.error(`Preparing better-sqlite3 for Electron ${electronVersion} …`);
let ok =
  spawnSync(bin('prebuild-install'), ['--runtime', 'electron', '--target', electronVersion], {
    cwd: work,
    stdio: 'inherit',
    env,
  }).status === 0;
if (!ok)
  ok =
    spawnSync(
      'npx',
      [
        '--yes',
        'node-gyp',
        'rebuild',
        '--release',
        `--target=${electronVersion}`,
        '--dist-url=https://electronjs.org/headers',
      ],
      { cwd: work, stdio: 'inherit', env },
    ).status === 0;
if (!ok) {
  console.error('Could not build better-sqlite3 for Electron (needs internet for the Electron headers).');
  process.exit(1);
}
mkdirSync(dirname(target), { recursive: true });
copyFileSync(join(work, 'build', 'Release', 'better_sqlite3.node'), target);
copyFileSync(target, stamp);
rmSync(work, { recursive: true, force: true });
