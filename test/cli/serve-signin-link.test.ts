import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LINK_SIGNIN_PATH } from '../../src-preload/contract/bridge.js';
import { startServe } from '../helpers/cli.js';
import { cliInTerminal } from '../helpers/terminal.js';

const dir = mkdtempSync(join(tmpdir(), 'ems-serve-link-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The logger is silent under Vitest unless told otherwise; here its output is what is checked.
const env = { EMS_LOG_LEVEL: 'debug' };
const redeem = (url: string, token: string): Promise<Response> =>
  fetch(`${url}${LINK_SIGNIN_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });

describe('serve: the one-time sign-in link', () => {
  it('goes to the terminal only; the log (stderr to a file) never has the token', async () => {
    const log = join(dir, 'serve.log');
    const t = cliInTerminal(['serve', '--port', '0', '--db', join(dir, 'tty.db')], { stderrFile: log, env });
    try {
      const m = await t.waitFor(/(http:\/\/127\.0\.0\.1:\d+)\/#signin=([A-Za-z0-9_-]{43})/);
      const [, url, token] = m as unknown as [string, string, string];
      expect(t.output()).toMatch(
        /signed in as the local admin \(works once, within 10 minutes, on this computer only\)/,
      );
      expect((await redeem(url, token)).status).toBe(200);
      expect((await redeem(url, token)).status).toBe(401);
    } finally {
      await t.stop();
    }
    const logged = readFileSync(log, 'utf8');
    // The log is really there and saw the sign-in happen …
    expect(logged).toMatch(/ready at http:\/\/127\.0\.0\.1/);
    expect(logged).toMatch(/signed in with the one-time link/);
    expect(logged).toMatch(/sign-in link refused/);
    // … but neither the link nor its token.
    expect(logged).not.toMatch(/signin=/);
    expect(logged).not.toMatch(/[A-Za-z0-9_-]{43}/);
  });

  it('with output piped or redirected: no link at all, and a line saying why', async () => {
    const s = await startServe(['--port', '0', '--db', join(dir, 'piped.db')], env);
    let stdout = '';
    s.proc.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    try {
      await expect
        .poll(() => s.stderr(), { timeout: 10_000 })
        .toMatch(/Sign-in link not shown: standard output is not a terminal/);
    } finally {
      s.proc.kill('SIGTERM');
      await new Promise((r) => s.proc.once('exit', r));
    }
    expect(`${stdout}${s.stderr()}`).not.toMatch(/signin=/);
  });
});
