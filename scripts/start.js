#!/usr/bin/env node
// `npm start`: the desktop app where an Electron binary is installed, otherwise the same engine and UI
// headless in the browser. Both start the demo plant when nothing is configured yet.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** The installed Electron binary, found without require('electron') (which tries a download when absent). */
function electronBinary() {
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const exe = join(
    process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkg, 'dist'),
    readFileSync(pathFile, 'utf8').trim(),
  );
  return existsSync(exe) ? exe : undefined;
}

const run = (cmd, args, env = process.env) =>
  spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env }).status ?? 1;

const electron = electronBinary();
if (electron) {
  if (run(process.execPath, [join(root, 'scripts', 'electron-native.js')]) !== 0) process.exit(1);
  if (
    run(process.execPath, [
      join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'),
      'build',
    ]) !== 0
  )
    process.exit(1);
  const env = {
    ...process.env,
    EMS_SQLITE_ELECTRON_BINDING: join(root, '.electron-native', 'better_sqlite3.node'),
  };
  const child = spawn(electron, [root], { cwd: root, stdio: 'inherit', env });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.error(
    'No Electron binary installed (run `npx install-electron` with internet access for the desktop window).',
  );
  console.error('Starting the same engine and UI headless; open the URL below in a browser.');
  const child = spawn(
    process.execPath,
    [join(root, 'bin', 'ems-commissioner.js'), 'serve', '--demo-if-empty', ...process.argv.slice(2)],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  const stop = () => child.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', (code) => process.exit(code ?? 0));
}
