#!/usr/bin/env node
// Runs the CLI from the built JavaScript in out/cli/ (scripts/build-cli.js, done by `npm install`/`npm ci`),
// so a command starts without compiling TypeScript. When that build is missing or older than any source
// file (a developer editing src-main/), it runs the sources through tsx instead, so the command always
// matches the code. EMS_CLI_FROM_SOURCE=1 forces the sources.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// A closed pipe (`… | head`) is the reader's choice, not an error of ours.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const built = join(root, 'out', 'cli', 'main.js');

/** True when the build is missing, or a source it was built from changed (or went) after it was built. */
function buildIsStale() {
  const list = join(root, 'out', 'cli', 'inputs.json');
  if (!existsSync(built) || !existsSync(list)) return true;
  const since = statSync(built).mtimeMs;
  for (const f of JSON.parse(readFileSync(list, 'utf8'))) {
    const s = statSync(join(root, f), { throwIfNoEntry: false });
    if (!s || s.mtimeMs > since) return true;
  }
  return false;
}

let entry = built;
if (process.env.EMS_CLI_FROM_SOURCE || buildIsStale()) {
  const { register } = await import('tsx/esm/api');
  register();
  entry = join(root, 'src-main', 'cli', 'main.ts');
}
const { runCli } = await import(pathToFileURL(entry).href);
process.exitCode = await runCli(process.argv.slice(2));
