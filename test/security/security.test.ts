import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli, startServe } from '../helpers/cli.js';

const tmp = (): string => join(mkdtempSync(join(tmpdir(), 'ems-sec-')), 'ems.db');

describe('security', () => {
  it('refuses to bind a non-loopback address unless asked explicitly', async () => {
    const r = await runCli(['serve', '--host', '0.0.0.0', '--port', '0', '--db', tmp()]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/refusing to listen on 0\.0\.0\.0.*--allow-remote/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const s = await startServe(['--host', '0.0.0.0', '--allow-remote', '--port', '0', '--db', tmp()]);
    try {
      expect(s.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    } finally {
      s.proc.kill('SIGTERM');
      await new Promise((r) => s.proc.once('exit', r));
    }
  });

  it('never writes passwords, tokens or the JWT secret to the log', async () => {
    const db = tmp();
    const password = 'Sup3r-secret-pass';
    expect(
      (
        await runCli(
          ['users', 'add', 'admin', '--role', 'admin', '--password-stdin', '--db', db],
          `${password}\n`,
        )
      ).code,
    ).toBe(0);
    const s = await startServe(['--port', '0', '--db', db], { EMS_LOG_LEVEL: 'debug' });
    const seen: string[] = [];
    try {
      const login = async (pw: string) =>
        fetch(`${s.url}/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password: pw }),
        });
      expect((await login('wrong-password-123')).status).toBe(401);
      const ok = await login(password);
      const { token } = (await ok.json()) as { token: string };
      seen.push(token);
      const created = await fetch(`${s.url}/v1/tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ label: 'grafana' }),
      });
      const body = (await created.json()) as { token?: string };
      if (body.token) seen.push(body.token);
      await fetch(`${s.url}/v1/devices`, { headers: { authorization: `Bearer ${token}` } });
      await fetch(`${s.url}/api/telemetry/v1/now`, {
        headers: { 'x-enapter-auth-token': body.token ?? token },
      });
      await fetch(`${s.url}/v1/devices`, { headers: { authorization: `Bearer ${token}x` } });
    } finally {
      s.proc.kill('SIGTERM');
      await new Promise((r) => s.proc.once('exit', r));
    }
    const conn = new Database(db, { readonly: true });
    const secret = conn.prepare("SELECT value FROM meta WHERE key = 'jwt_secret'").pluck().get() as string;
    conn.close();
    const log = s.stderr();
    expect(log.length).toBeGreaterThan(0);
    for (const needle of [password, 'wrong-password-123', secret, ...seen]) expect(log).not.toContain(needle);
    expect(seen.length).toBeGreaterThanOrEqual(1);
  });
});
