#!/usr/bin/env node
// Runs the engine's CLI from the TypeScript sources through tsx, so the command always matches the code.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

// A closed pipe (`… | head`) is the reader's choice, not an error of ours.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
register();
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const { runCli } = await import(join(root, 'src-main', 'cli', 'main.ts'));
const code = await runCli(process.argv.slice(2));
process.exitCode = code;
