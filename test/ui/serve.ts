import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin', 'ems-commissioner.js');
export const USER = 'tech';
export const PASSWORD = 'commission-2024';

/** Runs the real CLI to completion; rejects with its stderr on a non-zero exit. */
export function cli(args: string[], input = ''): Promise<string> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'], cwd: ROOT });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.stdin.end(input);
    p.on('close', (code) =>
      code === 0 ? done(out) : fail(new Error(`${args.join(' ')} exited ${code}: ${err}`)),
    );
  });
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => done(port));
    });
  });
}

/** Spawns a long-running CLI command and resolves once its stderr matches `ready`. */
export function startCli(
  args: string[],
  ready: RegExp,
  timeoutMs = 90_000,
): Promise<{ proc: ChildProcess; match: RegExpExecArray; log: () => string }> {
  return new Promise((done, fail) => {
    const proc = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT });
    let log = '';
    const timer = setTimeout(() => {
      proc.kill('SIGTERM');
      fail(new Error(`${args[0]} not ready after ${timeoutMs} ms:\n${log}`));
    }, timeoutMs);
    proc.stderr.on('data', (d: Buffer) => {
      log += d.toString();
      const m = ready.exec(log);
      if (m) {
        clearTimeout(timer);
        done({ proc, match: m, log: () => log });
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${args[0]} exited with ${code}:\n${log}`));
    });
  });
}

export function stop(proc: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return done();
    const kill = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    proc.once('exit', () => {
      clearTimeout(kill);
      done();
    });
    proc.kill('SIGTERM');
  });
}

export interface Served {
  url: string;
  db: string;
  dir: string;
  proc: ChildProcess;
  close(): Promise<void>;
}

/** `serve --demo` on a fresh database with one admin account, as a technician would start it. */
export async function startServe(): Promise<Served> {
  const dir = mkdtempSync(join(tmpdir(), 'ems-ui-'));
  const db = join(dir, 'ems.db');
  await cli(['users', 'add', USER, '--role', 'admin', '--password-stdin', '--db', db], `${PASSWORD}\n`);
  const { proc, match } = await startCli(
    ['serve', '--demo', '--port', '0', '--db', db],
    /ready at (http:\/\/\S+)/,
  );
  return {
    url: match[1] ?? '',
    db,
    dir,
    proc,
    async close() {
      await stop(proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
