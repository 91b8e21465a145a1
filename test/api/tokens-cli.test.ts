import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src-main/store/store.js';
import { runCli } from '../helpers/cli.js';

// Each run starts the real command (tsx): a few seconds apiece on a loaded machine.
describe('ems-commissioner tokens', { timeout: 120_000 }, () => {
  it('creates a token for an admin (printed once), lists it without the secret, and revokes it', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'ems-tok-')), 'ems.db');
    expect(
      (
        await runCli(
          ['users', 'add', 'root', '--role', 'admin', '--password-stdin', '--db', db],
          'long enough pw\n',
        )
      ).code,
    ).toBe(0);
    expect(
      (
        await runCli(
          ['users', 'add', 'bot', '--role', 'api', '--password-stdin', '--db', db],
          'long enough pw\n',
        )
      ).code,
    ).toBe(0);

    const made = await runCli(['tokens', 'create', '--label', 'grafana', '--user', 'root', '--db', db]);
    expect(made.code, made.stderr).toBe(0);
    const token = made.stdout.split('\n')[0]!;
    expect(token).toMatch(/^emsc_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const id = token.slice(5, 21);

    const listed = await runCli(['tokens', 'list', '--json', '--db', db]);
    expect(JSON.parse(listed.stdout)).toEqual([
      { id, label: 'grafana', createdBy: 'root', created: expect.any(Number), revoked: false },
    ]);
    expect(listed.stdout).not.toContain(token.slice(22));
    const store = new Store({ file: db });
    try {
      expect(store.tokens.verify(token)?.id).toBe(id);
    } finally {
      store.close();
    }

    expect((await runCli(['tokens', 'revoke', id, '--db', db])).stdout).toContain(`revoked ${id}`);
    expect((await runCli(['tokens', 'list', '--db', db])).stdout).toMatch(
      new RegExp(`^${id}\\trevoked\\troot\\t`),
    );
  });

  it('refuses non-admins, missing options and unknown ids with a one-line reason', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'ems-tok-')), 'ems.db');
    await runCli(
      ['users', 'add', 'bot', '--role', 'api', '--password-stdin', '--db', db],
      'long enough pw\n',
    );
    const notAdmin = await runCli(['tokens', 'create', '--label', 'x', '--user', 'bot', '--db', db]);
    expect([notAdmin.code, notAdmin.stderr.trim()]).toEqual([
      1,
      'ems-commissioner tokens: "bot" is not an admin account: only admins create API tokens',
    ]);
    for (const args of [
      ['tokens', 'frob'],
      ['tokens', 'create', '--user', 'bot'],
    ]) {
      const r = await runCli([...args, '--db', db]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect((await runCli(['tokens', 'revoke', 'ffffffffffffffff', '--db', db])).code).toBe(1);
  });
});
