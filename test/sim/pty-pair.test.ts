import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ptyPair } from '../../src-main/sim/demo-plant.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** The processes whose command line names this pty link (the relay and its watching shell). */
function relaysOf(link: string): string[] {
  const r = spawnSync('pgrep', ['-f', link], { encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean);
}

async function gone(link: string, ms = 5000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (relaysOf(link).length === 0 && !existsSync(link)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** The demo plant's pty pairs (socat) end with the process that made them, however it ends. */
describe('a pty pair', () => {
  it('ends when the process that made it is killed outright (SIGKILL runs no exit handler)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ems-ptypair-'));
    const script = join(dir, 'make.mts');
    writeFileSync(
      script,
      `const { ptyPair } = await import(${JSON.stringify(join(ROOT, 'src-main/sim/demo-plant.ts'))});
       const p = await ptyPair('ems-ptypair-kill');
       console.log(JSON.stringify({ a: p.a, b: p.b }));
       setInterval(() => undefined, 1000);`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const pair = await new Promise<{ a: string; b: string }>((done, fail) => {
      child.stdout.on('data', (d: Buffer) => done(JSON.parse(d.toString()) as { a: string; b: string }));
      child.on('exit', (c) => fail(new Error(`child exited ${c}: ${err}`)));
    });
    expect(existsSync(pair.a) && existsSync(pair.b)).toBe(true);
    expect(relaysOf(pair.a).length).toBeGreaterThan(0);
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await exited;
    expect(await gone(pair.a)).toBe(true);
    expect(existsSync(pair.b)).toBe(false);
  });

  it('ends when its owner stops it', async () => {
    const pair = await ptyPair('ems-ptypair-stop');
    expect(relaysOf(pair.a).length).toBeGreaterThan(0);
    const exited = new Promise((r) => pair.proc.on('exit', r));
    pair.proc.kill();
    await exited;
    expect(await gone(pair.a)).toBe(true);
  });
});
