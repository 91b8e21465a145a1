import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src-main/cli/main.js';
import type { Io } from '../../src-main/cli/args.js';

export const tmpDir = (): string => mkdtempSync(join(tmpdir(), 'ems-site-'));

/** Runs the CLI in this process with captured output. */
export async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = {
    out: (t) => void (out += `${t}\n`),
    err: (t) => void (err += `${t}\n`),
    readStdin: () => Promise.resolve(''),
  };
  const code = await runCli(args, io);
  return { code, out, err };
}
