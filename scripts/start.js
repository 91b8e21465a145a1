#!/usr/bin/env node
// `npm start`: the desktop app where an Electron binary is installed, otherwise the same engine and UI
// headless in the browser. Both start the demo plant when nothing is configured yet.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const p = require('electron');
    return typeof p === 'string' && existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
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
