import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Parity } from '../transport/transport.js';

/**
 * An emulated RS485 line (scripts/rs485-line.py): pseudo-terminal ends joined by a relay that moves
 * each byte at the speed its sender set, decodes it with each receiver's UART settings and lets
 * collisions, lost and flipped bits happen. Python because Node has no tcgetattr, which is how the
 * relay learns the speed an application set on its end.
 */
const PYTHON = '/usr/bin/python3';
// Both from src-main/sim (tsx) and from out/main (the electron-vite build) the script is two levels up.
const SCRIPT = resolve(import.meta.dirname, '../../scripts/rs485-line.py');

export interface LineEnd {
  /** The path an application opens (a symlink the relay creates); default: a fresh temporary path. */
  path?: string;
  /** Framing this end's application uses: a pty cannot carry it, so the relay is told. */
  parity?: Parity;
  stopBits?: 1 | 2;
  /** Holds back everything this end sends by this long: a slave's turnaround, or one answering late, ms. */
  delayMs?: number;
}

export interface LineOptions {
  ends: readonly LineEnd[];
  /** Probability that a character is lost on the wire. */
  dropRate?: number;
  /** Probability that one bit of a character flips. */
  flipRate?: number;
  seed?: number;
}

export interface LineEndStats {
  path: string;
  /** Characters this end sent, and their wire time. */
  sent: number;
  wireMs: number;
  /** Characters its UART received whole, and those it dropped for a framing or parity error. */
  delivered: number;
  rxErrors: number;
  dropped: number;
  flipped: number;
  baud: number;
}

export interface LineStats {
  seconds: number;
  /** Time the line was driven by anyone (overlaps counted once), ms. */
  wireMs: number;
  collisions: number;
  ends: LineEndStats[];
}

export interface Rs485Line {
  /** The paths of the ends, in the order given. */
  paths: string[];
  stats(): Promise<LineStats>;
  resetStats(): void;
  stop(): Promise<void>;
}

export function hasLineEmulator(): boolean {
  return existsSync(PYTHON) && existsSync(SCRIPT);
}

function endSpec(e: LineEnd, path: string): string {
  return [path, e.parity ?? 'none', String(e.stopBits ?? 1), String(e.delayMs ?? 0)].join(',');
}

export async function startRs485Line(o: LineOptions): Promise<Rs485Line> {
  if (o.ends.length < 2) throw new Error('an RS485 line needs at least two ends');
  if (!hasLineEmulator()) throw new Error(`the line emulator needs ${PYTHON} and ${SCRIPT}`);
  const dir = mkdtempSync(join(tmpdir(), 'ems-line-'));
  const paths = o.ends.map((e, i) => e.path ?? join(dir, `end${i}`));
  const args = [SCRIPT, ...o.ends.flatMap((e, i) => ['--port', endSpec(e, paths[i]!)])];
  if (o.dropRate) args.push('--drop', String(o.dropRate));
  if (o.flipRate) args.push('--flip', String(o.flipRate));
  if (o.seed !== undefined) args.push('--seed', String(o.seed));
  const proc: ChildProcess = spawn(PYTHON, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: proc.stdout! });
  const pending: ((line: string) => void)[] = [];
  lines.on('line', (l) => pending.shift()?.(l));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`the line emulator did not start: ${stderr}`)), 10_000);
    pending.push(() => (clearTimeout(timer), ready()));
    void exited.then(() => (clearTimeout(timer), fail(new Error(`the line emulator exited: ${stderr}`))));
  });
  return {
    paths,
    stats: () =>
      new Promise<LineStats>((done, fail) => {
        if (proc.exitCode !== null) return fail(new Error('the line emulator has stopped'));
        pending.push((l) => done(JSON.parse(l) as LineStats));
        proc.stdin?.write('stats\n');
      }),
    resetStats: () => void proc.stdin?.write('reset\n'),
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        await exited;
      }
    },
  };
}
