import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export const BIN = resolve(import.meta.dirname, '../../bin/ems-commissioner.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real command (the package's bin) as a user would. */
export function runCli(args: string[], input?: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((done) => {
    const p = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.stdin.end(input ?? '');
    p.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** Starts `serve` and resolves with its URL once it logged the ready line. */
export function startServe(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ proc: ChildProcess; url: string; stderr: () => string }> {
  return new Promise((done, fail) => {
    const proc = spawn(process.execPath, [BIN, 'serve', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    const timer = setTimeout(() => fail(new Error(`serve did not become ready: ${err}`)), 20_000);
    proc.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /ready at (http:\/\/\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        done({ proc, url: m[1]!, stderr: () => err });
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`serve exited with ${code}: ${err}`));
    });
  });
}

/**
 * Runs a command in this process through the same entry point as the bin (no Node start-up per call):
 * for cases where what is tested is the command's behaviour, not the process around it.
 */
export async function runCliHere(args: string[], input = ''): Promise<CliResult> {
  const { runCli: run } = await import('../../src-main/cli/main.js');
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    out: (t) => (stdout += t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => (stderr += t.endsWith('\n') ? t : `${t}\n`),
    readStdin: () => Promise.resolve(input),
  });
  return { code, stdout, stderr };
}
