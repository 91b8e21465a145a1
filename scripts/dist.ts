/**
 * `npm run dist`: the installers for this machine's platform (electron-builder.yml; extra arguments go
 * to electron-builder, e.g. `npm run dist -- --linux deb`). Refuses in one line when the builder's
 * downloads cannot be reached, before anything is built.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { distPreflight } from './dist-preflight.js';
import { staleReason } from './icons.js';

const ROOT = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const electronVersion = (require('electron/package.json') as { version: string }).version;

function fail(reason: string): never {
  console.error(`npm run dist: cannot build installers here: ${reason}`);
  process.exit(1);
}

const run = (cmd: string, args: string[]): boolean =>
  spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' }).status === 0;
const bin = (name: string): string => join(ROOT, 'node_modules', '.bin', name);

const stale = staleReason();
if (stale) fail(`icons out of date: ${stale} (run: npx tsx scripts/icons.ts)`);
const blocked = await distPreflight({ electronVersion, platform: process.platform, arch: process.arch });
if (blocked) fail(blocked);

if (!run(bin('electron-vite'), ['build'])) process.exit(1);
const built = run(bin('electron-builder'), [
  '--config',
  'electron-builder.yml',
  '--publish',
  'never',
  ...process.argv.slice(2),
]);
// The builder rebuilt better-sqlite3 in node_modules for Electron's ABI; the CLI and the tests run in
// Node, so put Node's build back whatever the outcome.
const restored = run('npm', ['rebuild', 'better-sqlite3']);
if (!built) process.exit(1);
if (!restored)
  fail(
    'installers are in dist/, but better-sqlite3 could not be rebuilt for Node (npm rebuild better-sqlite3)',
  );
console.log('installers are in dist/');
