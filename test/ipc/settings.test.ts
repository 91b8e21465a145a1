import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewToken, SettingsView, TreeDevice } from '../../src-preload/contract/index.js';
import { readSavedSettings } from '../../src-main/ipc/settings-store.js';
import { rig, type Rig } from './rig.js';

const data = <T>(r: { ok: boolean; data?: unknown; message?: string }): T => {
  if (!r.ok) throw new Error(`call failed: ${r.message}`);
  return r.data as T;
};

describe('settings, accounts, tokens and the demo plant', () => {
  let r: Rig;
  beforeAll(async () => {
    r = await rig();
  });
  afterAll(() => r.close());

  it('saves API address and retention for the next start, and says what runs now', async () => {
    const before = data<SettingsView>(await r.call('settings.get'));
    expect(before).toMatchObject({
      api: { host: '127.0.0.1', port: 8080 },
      apiLoopback: true,
      rawRetentionDays: 7,
      rawRetentionDaysActive: 7,
    });
    expect(before.dbFile).toMatch(/ems\.db$/);
    const after = data<SettingsView>(
      await r.call('settings.update', { api: { host: '0.0.0.0', port: 9000 }, rawRetentionDays: 30 }),
    );
    expect(after).toMatchObject({
      api: { host: '0.0.0.0', port: 9000 },
      apiLoopback: false,
      rawRetentionDays: 30,
      rawRetentionDaysActive: 7,
    });
    expect(readSavedSettings(r.rt.engine.store.meta)).toEqual({
      api: { host: '0.0.0.0', port: 9000 },
      rawRetentionDays: 30,
    });
    expect(await r.call('settings.update', { rawRetentionDays: 0 })).toMatchObject({
      ok: false,
      code: 'bad_request',
    });
  });

  it('manages accounts; the last admin of a signed-in session and the own account are protected', async () => {
    expect(
      data<{ username: string }>(
        await r.call('users.add', { username: 'boss', password: 'boss-password', role: 'admin' }),
      ).username,
    ).toBe('boss');
    expect(
      await r.call('users.add', { username: 'boss', password: 'boss-password', role: 'admin' }),
    ).toMatchObject({ ok: false, code: 'conflict' });
    const boss = { caller: { username: 'boss', role: 'admin' as const } };
    expect(await r.call('users.remove', { username: 'boss' }, boss)).toMatchObject({
      ok: false,
      code: 'conflict',
      message: expect.stringMatching(/signed in with/),
    });
    await r.call('users.add', { username: 'reader', password: 'reader-password', role: 'api' });
    expect(
      data<{ changed: boolean }>(
        await r.call('users.password', { username: 'reader', password: 'new-password-1' }),
      ),
    ).toEqual({ changed: true });
    expect(r.rt.engine.store.users.verify('reader', 'new-password-1')?.username).toBe('reader');
    expect(await r.call('users.password', { username: 'ghost', password: 'whatever-123' })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect(data<{ removed: boolean }>(await r.call('users.remove', { username: 'reader' }, boss))).toEqual({
      removed: true,
    });
  });

  it('creates API tokens vouched for by an admin, shows the secret once, and revokes them', async () => {
    const t = data<NewToken>(await r.call('tokens.create', { label: 'EMS gateway' }));
    expect(t.secret).toMatch(/^emsc_[0-9a-f]{16}_/);
    expect(t.token).toMatchObject({ label: 'EMS gateway', createdBy: 'boss', revoked: false });
    expect(r.rt.engine.store.tokens.verify(t.secret)?.id).toBe(t.token.id);
    expect(data<{ revoked: boolean }>(await r.call('tokens.revoke', { id: t.token.id }))).toEqual({
      revoked: true,
    });
    expect(r.rt.engine.store.tokens.verify(t.secret)).toBeUndefined();
    expect(await r.call('tokens.revoke', { id: '0123456789abcdef' })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
  });

  it('starts and stops the demo plant at run time', async () => {
    const changed = r.next('config.changed', (c) => c.reason === 'demo plant started');
    const on = data<SettingsView>(await r.call('settings.demo', { on: true }));
    await changed;
    expect(on.demo.running).toBe(true);
    expect(on.demo.devices).toBeGreaterThanOrEqual(2);
    const tree = data<TreeDevice[]>(await r.call('config.tree'));
    expect(tree.some((d) => d.label.includes('(demo)'))).toBe(true);
    await r.next('status', (l) => l.some((s) => s.state === 'online'), 20_000);
    const off = data<SettingsView>(await r.call('settings.demo', { on: false }));
    expect(off.demo).toEqual({ running: false, devices: 0 });
    expect(data<TreeDevice[]>(await r.call('config.tree')).some((d) => d.label.includes('(demo)'))).toBe(
      false,
    );
  });
});
