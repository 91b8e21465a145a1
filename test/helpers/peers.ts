import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const PYTHON = '/usr/bin/python3';
const SLAVE = resolve(import.meta.dirname, '../peers/pymodbus_slave.py');

export function requireTool(path: string, pkg: string): void {
  if (!existsSync(path)) throw new Error(`${path} is missing: install Debian's ${pkg} (.ci/run does)`);
}

export interface PtyPair {
  a: string;
  b: string;
  proc: ChildProcess;
  close(): void;
}

/** A socat pseudo-terminal pair: two ends of a virtual RS485 line. */
export async function ptyPair(): Promise<PtyPair> {
  requireTool('/usr/bin/socat', 'socat');
  const dir = mkdtempSync(join(tmpdir(), 'ems-pty-'));
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  const proc = spawn('/usr/bin/socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: 'ignore',
  });
  const deadline = Date.now() + 5000;
  while (!(existsSync(a) && existsSync(b))) {
    if (Date.now() > deadline) throw new Error('socat did not create the pty pair');
    await sleep(20);
  }
  return { a, b, proc, close: () => proc.kill('SIGKILL') };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export type RegisterSpec = Record<number, { hr?: Record<number, number[]>; ir?: Record<number, number[]> }>;

export interface PymodbusSlave {
  proc: ChildProcess;
  stop(): void;
}

/** Starts a pymodbus slave (Debian python3-pymodbus) with the given registers on a serial path or TCP port. */
export async function startPymodbus(
  where: { serial: string; baud?: number; parity?: 'N' | 'E' | 'O' } | { tcp: number },
  units: RegisterSpec,
): Promise<PymodbusSlave> {
  requireTool(PYTHON, 'python3');
  const dir = mkdtempSync(join(tmpdir(), 'ems-pymodbus-'));
  const map = join(dir, 'map.json');
  writeFileSync(map, JSON.stringify({ units }));
  const args = [
    SLAVE,
    '--map',
    map,
    ...('serial' in where
      ? ['--serial', where.serial, '--baud', String(where.baud ?? 9600), '--parity', where.parity ?? 'N']
      : ['--tcp', String(where.tcp)]),
  ];
  const proc = spawn(PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`pymodbus did not start: ${stderr}`)), 10_000);
    proc.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) {
        clearTimeout(timer);
        resolveReady();
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`pymodbus exited with ${code}: ${stderr}`));
    });
  });
  if ('tcp' in where) await waitForPort(where.tcp);
  else await sleep(600); // the serial server opens the pty after printing ready
  return { proc, stop: () => proc.kill('SIGKILL') };
}

export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((r) => {
      const s = createConnection({ port, host: '127.0.0.1' }, () => {
        s.destroy();
        r(true);
      });
      s.on('error', () => r(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port}`);
    await sleep(50);
  }
}
