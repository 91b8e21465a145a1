import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Bad usage: exit code 2 with a one-line reason. */
export class UsageError extends Error {}
/** A failed operation: exit code 1 with a one-line reason. */
export class OperationError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parse(argv: string[], options: Options, usage: string): Parsed {
  try {
    const r = parseArgs({
      args: argv,
      options: { ...options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: r.values as Parsed['values'], positionals: r.positionals };
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('\n')[0]}\nusage: ${usage}`);
  }
}

export function int(value: string | boolean | undefined, name: string, min: number, max: number): number {
  if (value === undefined) throw new UsageError(`--${name} is required`);
  if (typeof value !== 'string' || !/^\d+$/.test(value))
    throw new UsageError(`--${name} must be a whole number, got "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function oneOf<T extends string>(
  value: string | boolean | undefined,
  name: string,
  allowed: readonly T[],
  dflt?: T,
): T {
  const v = typeof value === 'string' ? value : dflt;
  if (v === undefined) throw new UsageError(`--${name} is required (${allowed.join('|')})`);
  if (!(allowed as readonly string[]).includes(v))
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got "${v}"`);
  return v as T;
}

export function str(value: string | boolean | undefined, name: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

/** "1-5,9,12-14" → [1..5, 9, 12..14], each within bounds. */
export function intList(value: string, name: string, min: number, max: number): number[] {
  const out: number[] = [];
  for (const part of value.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) throw new UsageError(`--${name}: "${part}" is not a number or a range like 1-247`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (a < min || b > max || a > b) throw new UsageError(`--${name}: ${part} outside ${min}-${max}`);
    for (let i = a; i <= b; i++) out.push(i);
  }
  return [...new Set(out)];
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
  readStdin(): Promise<string>;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  readStdin: async () => {
    // At a terminal: one line, not echoed (a password); piped: everything until EOF.
    if (process.stdin.isTTY) return readHiddenLine('Password: ');
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

async function readHiddenLine(prompt: string): Promise<string> {
  const { createInterface } = await import('node:readline');
  const { Writable } = await import('node:stream');
  process.stderr.write(prompt);
  const silent = new Writable({ write: (_c, _e, done) => done() });
  const rl = createInterface({ input: process.stdin, output: silent, terminal: true });
  try {
    return await new Promise<string>((resolve) => rl.once('line', resolve));
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}
