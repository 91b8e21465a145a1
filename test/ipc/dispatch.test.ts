import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_LIST } from './channels.js';
import { rig, type Rig } from './rig.js';

describe('dispatch: the one wrapper every call goes through', () => {
  let r: Rig;
  beforeAll(async () => {
    r = await rig({ poll: false });
  });
  afterAll(() => r.close());

  it('has a handler for every channel of the contract', () => {
    expect(Object.keys(r.handlers).sort()).toEqual([...CHANNEL_LIST].sort());
  });

  it('answers an unknown channel with a Result, not a throw', async () => {
    expect(await r.call('config.nope')).toEqual({
      ok: false,
      code: 'unknown_channel',
      message: 'no call named "config.nope"',
    });
    expect(await r.call('__proto__')).toMatchObject({ ok: false, code: 'unknown_channel' });
    expect(await r.call(42)).toMatchObject({ ok: false, code: 'unknown_channel' });
  });

  it('checks arguments against the contract schema and says which field is wrong', async () => {
    expect(await r.call('device.update', { uid: 'x' })).toEqual({
      ok: false,
      code: 'bad_request',
      message: 'device.update: uid: expected integer (got "x")',
    });
    const extra = await r.call('device.remove', { uid: 1, force: true });
    expect(extra).toMatchObject({ ok: false, code: 'bad_request' });
    expect(extra.ok ? '' : extra.message).toMatch(/device\.remove: .*force|unexpected property/i);
    expect(await r.call('history.get', { uids: [], start: 0, end: 1 })).toMatchObject({
      ok: false,
      code: 'bad_request',
    });
    expect(await r.call('engine.info', { surprise: 1 })).toMatchObject({ ok: false, code: 'bad_request' });
    // A scan request is judged by the protocol it names: the message points at the RTU field.
    const scan = await r.call('discovery.start', {
      protocol: 'rtu',
      port: '/dev/x',
      bauds: [9600],
      parities: ['mark'],
      stopBits: [1],
      units: { from: 1, to: 2 },
    });
    expect(scan.ok ? '' : scan.message).toMatch(/^discovery\.start: parities\.0/);
    expect(await r.call('config.tree', null)).toMatchObject({ ok: false, code: 'bad_request' });
  });

  it('turns handler failures into codes with messages: not found, conflicts, plain errors', async () => {
    expect(await r.call('device.update', { uid: 999, label: 'x' })).toEqual({
      ok: false,
      code: 'not_found',
      message: 'device 999 does not exist',
    });
    expect(await r.call('loadconfig.read', { lid: 999 })).toMatchObject({
      ok: false,
      code: 'not_found',
      message: expect.stringMatching(/no load with uid 999/),
    });
    expect(
      await r.call('users.add', { username: 'a b', password: 'long-enough', role: 'api' }),
    ).toMatchObject({ ok: false, code: 'bad_request', message: expect.stringMatching(/username/) });
  });

  it('keeps accounts, tokens and settings to admins when the caller is signed in; the desktop user is trusted', async () => {
    const reader = { caller: { username: 'reader', role: 'api' as const } };
    expect(await r.call('users.list', undefined, reader)).toEqual({
      ok: false,
      code: 'forbidden',
      message: 'users.list needs an admin account',
    });
    expect(await r.call('settings.update', { rawRetentionDays: 3 }, reader)).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await r.call('config.tree', undefined, reader)).toMatchObject({ ok: true });
    expect(await r.call('users.list')).toMatchObject({ ok: true });
  });

  it('reports who is asking and how the engine runs', async () => {
    const info = await r.call('engine.info', undefined, { caller: { username: 'tech', role: 'admin' } });
    expect(info).toMatchObject({
      ok: true,
      data: {
        version: '9.9.9',
        host: 'electron',
        demo: false,
        apiUrl: null,
        user: { username: 'tech', role: 'admin' },
      },
    });
  });
});
