#!/usr/bin/env node
// Runs a command with a display: as it is where there is one (a desktop, Windows, macOS), and under
// xvfb-run on a Linux machine without one (CI runners, servers), so the Electron launch test can open
// its window there. Without a display and without xvfb-run the command runs as it is, and the test
// that needs a window says why it skipped.
//   node scripts/with-display.js playwright test
import { spawn, spawnSync } from 'node:child_process';

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error('usage: node scripts/with-display.js COMMAND [ARG…]');
  process.exit(2);
}
const headlessLinux = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const hasXvfbRun =
  headlessLinux && spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status === 0;
const [exe, argv] = hasXvfbRun ? ['xvfb-run', ['--auto-servernum', '--', cmd, ...args]] : [cmd, args];
const child = spawn(exe, argv, { stdio: 'inherit', shell: process.platform === 'win32' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
