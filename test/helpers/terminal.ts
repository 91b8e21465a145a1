import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from './cli.js';

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export interface InTerminal {
  proc: ChildProcess;
  /** What the terminal showed so far (stdout of the command; stderr only where not redirected). */
  output(): string;
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  stop(): Promise<void>;
}

/**
 * Runs the CLI with a pseudo-terminal as its stdout, as in a technician's terminal: util-linux
 * `script` allocates the pty. Its stderr goes to `stderrFile` (standing for a log file) when given.
 * `entry` runs another script than the bin (e.g. scripts/start.js, what `npm start` runs).
 */
export function cliInTerminal(
  args: string[],
  o: { stderrFile?: string; env?: NodeJS.ProcessEnv; entry?: string } = {},
): InTerminal {
  const cmd = `exec ${[process.execPath, o.entry ?? BIN, ...args].map(quote).join(' ')}${o.stderrFile ? ` 2>${quote(o.stderrFile)}` : ''}`;
  const proc = spawn('script', ['-qfec', cmd, '/dev/null'], {
    env: { ...process.env, ...o.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return {
    proc,
    output: () => out,
    waitFor: (re, timeoutMs = 90_000) =>
      new Promise((done, fail) => {
        const deadline = Date.now() + timeoutMs;
        const check = (): void => {
          const m = re.exec(out);
          if (m) return done(m);
          if (proc.exitCode !== null) return fail(new Error(`exited ${proc.exitCode} before ${re}: ${out}`));
          if (Date.now() > deadline) return fail(new Error(`no ${re} after ${timeoutMs} ms: ${out}`));
          setTimeout(check, 100);
        };
        check();
      }),
    // Ending `script` hangs up its terminal, which ends the command in it.
    stop: () =>
      new Promise((done) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return done();
        const kill = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        proc.once('exit', () => {
          clearTimeout(kill);
          done();
        });
        proc.kill('SIGTERM');
      }),
  };
}
