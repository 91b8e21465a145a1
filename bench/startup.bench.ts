import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { result, type Bench } from './lib.js';

const BIN = resolve(import.meta.dirname, '../bin/ems-commissioner.js');

/** Wall time of a process from spawn to exit. */
async function timeExit(args: string[]): Promise<number> {
  const started = performance.now();
  const proc = spawn(process.execPath, args, { stdio: 'ignore' });
  await new Promise((r) => proc.once('exit', r));
  return performance.now() - started;
}

/** Wall time from spawning `serve` (with `extra`) to its first answer on /ver. */
async function timeServe(extra: string[]): Promise<number> {
  const db = join(mkdtempSync(join(tmpdir(), 'ems-bench-start-')), 'ems.db');
  const started = performance.now();
  const proc = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', db, ...extra], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  try {
    const url = await new Promise<string>((ok, fail) => {
      let err = '';
      proc.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /ready at (http:\/\/\S+)/.exec(err);
        if (m) ok(m[1]!);
      });
      proc.once('exit', () => fail(new Error(err)));
    });
    const r = await fetch(`${url}/ver`);
    if (!r.ok) throw new Error(`/ver answered ${r.status}`);
    return performance.now() - started;
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
  }
}

/**
 * `ems-commissioner --help` and `serve --demo` → first /ver answer, each against Node starting and
 * doing nothing (`node -e ''`), runs interleaved (ours, baseline, ours, baseline …).
 */
export const startup: Bench = async (ctx) => {
  // What `npm install` does (prepare): without a current build the bin runs the sources through tsx.
  const build = spawnSync(process.execPath, [resolve(import.meta.dirname, '../scripts/build-cli.js')], {
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('scripts/build-cli.js failed');
  const runs = ctx.quick ? 3 : 7;
  const help: number[] = [];
  const serveDemo: number[] = [];
  const serve: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    help.push(await timeExit([BIN, '--help']));
    bare.push(await timeExit(['-e', '']));
    serveDemo.push(await timeServe(['--demo']));
    bare.push(await timeExit(['-e', '']));
    serve.push(await timeServe([]));
    bare.push(await timeExit(['-e', '']));
  }
  ctx.log(
    `startup: --help ${Math.round(help[0] ?? 0)} ms, serve --demo→/ver ${Math.round(serveDemo[0] ?? 0)} ms, node -e '' ${Math.round(bare[0] ?? 0)} ms`,
  );
  const baseline = "node -e '' (Node starting and doing nothing)";
  return [
    result('startup.help', 'ms', help, baseline, bare, 'goal ≤ 250 ms'),
    result('startup.serve_demo_to_first_answer', 'ms', serveDemo, baseline, bare, 'goal ≤ 1000 ms'),
    result('startup.serve_to_first_answer', 'ms', serve, baseline, bare, 'empty database, no demo'),
  ];
};
