import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTool, sleep } from '../helpers/peers.js';

export const dbFile = (): string => join(mkdtempSync(join(tmpdir(), 'ems-fault-')), 'ems.db');

/** A socat pty pair at fixed link names, so a "replugged adapter" comes back under the same path. */
export async function socatAt(a: string, b: string): Promise<ChildProcess> {
  requireTool('/usr/bin/socat', 'socat');
  const proc = spawn('/usr/bin/socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: 'ignore',
  });
  const deadline = Date.now() + 5000;
  while (!(existsSync(a) && existsSync(b))) {
    if (Date.now() > deadline) throw new Error('socat did not create the pty pair');
    await sleep(10);
  }
  return proc;
}

/** Waits until `cond` holds; returns how long that took, ms. */
export async function waitFor(cond: () => boolean, ms: number, what: string): Promise<number> {
  const started = Date.now();
  while (!cond()) {
    if (Date.now() - started > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
  return Date.now() - started;
}
