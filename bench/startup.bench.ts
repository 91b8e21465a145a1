import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { repeat, result, type Bench } from './lib.js';

const BIN = resolve(import.meta.dirname, '../bin/ems-commissioner.js');

/** Time from spawning `serve` to its first HTTP answer, vs the same runtime doing `--help` (tsx + Node start). */
export const startup: Bench = async (ctx) => {
  const runs = ctx.quick ? 2 : 5;
  const serveToAnswer = await repeat(runs, async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'ems-bench-start-')), 'ems.db');
    const started = performance.now();
    const proc = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', db], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const url = await new Promise<string>((ok, fail) => {
      let err = '';
      proc.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /ready at (http:\/\/\S+)/.exec(err);
        if (m) ok(m[1]!);
      });
      proc.once('exit', () => fail(new Error(err)));
    });
    await fetch(`${url}/ver`);
    const ms = performance.now() - started;
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    return ms;
  });
  const help = await repeat(runs, async () => {
    const started = performance.now();
    const proc = spawn(process.execPath, [BIN, '--help'], { stdio: 'ignore' });
    await new Promise((r) => proc.once('exit', r));
    return performance.now() - started;
  });
  ctx.log(
    `startup: serve→/ver ${Math.round(serveToAnswer[0] ?? 0)} ms, --help ${Math.round(help[0] ?? 0)} ms`,
  );
  return [
    result(
      'startup.serve_to_first_answer',
      'ms',
      serveToAnswer,
      'same command with --help (process + TypeScript loader start)',
      help,
    ),
  ];
};
