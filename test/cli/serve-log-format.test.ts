import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LINK_SIGNIN_PATH } from '../../src-preload/contract/bridge.js';
import { startServe } from '../helpers/cli.js';
import { cliInTerminal } from '../helpers/terminal.js';

const dir = mkdtempSync(join(tmpdir(), 'ems-serve-logfmt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The logger is silent under Vitest unless told otherwise; NO_COLOR keeps the terminal lines plain.
const env = { EMS_LOG_LEVEL: 'info', NO_COLOR: '1', EMS_LOG_FORMAT: '' };
/** A refused sign-in link: a log line the test can cause at will. */
const refuse = (url: string): Promise<Response> =>
  fetch(`${url}${LINK_SIGNIN_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: 'not-a-link' }),
  });

describe('serve: log format follows the log stream', () => {
  it('in a terminal: human lines (time level [ns] message key=value), no JSON', async () => {
    const t = cliInTerminal(['serve', '--port', '0', '--db', join(dir, 'tty.db')], { env });
    try {
      const [, url] = (await t.waitFor(/ready at (http:\/\/127\.0\.0\.1:\d+)/)) as unknown as [
        string,
        string,
      ];
      expect((await refuse(url)).status).toBe(401);
      const m = await t.waitFor(/^.*sign-in link refused.*$/m, 10_000);
      expect(m[0].trim()).toMatch(
        /^\d\d:\d\d:\d\d\.\d{3} INFO {2}\[signin-link\] sign-in link refused outcome=\S+$/,
      );
      expect(t.output()).not.toMatch(/\{"level":/);
    } finally {
      await t.stop();
    }
  });

  it('piped: every log line is JSON that parses', async () => {
    const s = await startServe(['--port', '0', '--db', join(dir, 'piped.db')], env);
    try {
      expect((await refuse(s.url)).status).toBe(401);
      await expect.poll(() => s.stderr(), { timeout: 10_000 }).toMatch(/sign-in link refused/);
    } finally {
      s.proc.kill('SIGTERM');
      await new Promise((r) => s.proc.once('exit', r));
    }
    const logLines = s
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('{'));
    expect(logLines.length).toBeGreaterThan(0);
    const records = logLines.map(
      (l) => JSON.parse(l) as { level: number; msg: string; ns: string; time: number },
    );
    const refused = records.find((r) => r.msg === 'sign-in link refused');
    expect(refused).toMatchObject({ level: 30, ns: 'signin-link' });
    expect(typeof refused?.time).toBe('number');
    // Lines that are not JSON are the CLI's own messages, never a formatted log record.
    expect(s.stderr()).not.toMatch(/^\d\d:\d\d:\d\d\.\d{3} (INFO|WARN|ERROR)/m);
  });

  it('npm start without an Electron binary: the headless engine logs human lines in the terminal', async () => {
    const t = cliInTerminal(['--port', '0', '--db', join(dir, 'start.db')], {
      entry: resolve(import.meta.dirname, '../../scripts/start.js'),
      // Where a binary is installed, npm start opens the window instead: point it at none.
      env: { ...env, ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'no-electron') },
    });
    try {
      await t.waitFor(/No Electron binary installed/);
      // An empty database: the demo plant starts and says so in the log.
      const m = await t.waitFor(/^.*demo plant running.*$/m, 120_000);
      expect(m[0].trim()).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}\[demo\] demo plant running meters=/);
      expect(t.output()).not.toMatch(/\{"level":/);
    } finally {
      await t.stop();
    }
  }, 150_000);
});
