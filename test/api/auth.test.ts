import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { decodeJwt, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { issueToken } from '../../src-main/api/auth.js';
import { pastForeignCommitWindow } from '../helpers/commit-window.js';
import { login, makeFixture, PASSWORD, type Fixture } from './fixture.js';

let f: Fixture;
beforeAll(async () => {
  f = await makeFixture();
});
afterAll(() => f.close());

const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const claims = () => {
  const iat = Math.floor(Date.now() / 1000);
  return { sub: 'reader', role: 'api', iss: 'ems-commissioner', iat, exp: iat + 1800 };
};

async function webapi(headers: Record<string, string>, url = '/v1/devices') {
  const r = await f.app.inject({ url, headers });
  return { status: r.statusCode, body: r.json() as { error: { code: string } }, headers: r.headers };
}

describe('login', () => {
  it('issues an HS256 JWT that expires 30 minutes after issue, to api and admin accounts', async () => {
    for (const user of ['reader', 'boss']) {
      const token = await login(f.app, user);
      const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { alg: string };
      expect(header.alg).toBe('HS256');
      const p = decodeJwt(token);
      expect(p.sub).toBe(user);
      expect(p.exp! - p.iat!).toBe(1800);
      expect((await webapi(bearer(token))).status).toBe(200);
    }
  });

  it('answers 401 for a wrong password or an unknown user, 400 for a malformed body', async () => {
    const ip = { remoteAddress: '10.0.0.1' };
    for (const payload of [
      { username: 'reader', password: 'wrong password' },
      { username: 'ghost', password: PASSWORD },
    ]) {
      const r = await f.app.inject({ method: 'POST', url: '/v1/auth/login', payload, ...ip });
      expect(r.statusCode).toBe(401);
      expect(r.json()).toEqual({
        error: { code: 'invalid_credentials', message: 'wrong username or password' },
      });
    }
    for (const payload of [
      '{"username":"reader"}',
      '{"username":"reader","password":1}',
      '{bad json',
      '[]',
      'null',
      '',
    ]) {
      const r = await f.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload,
        headers: { 'content-type': 'application/json' },
        ...ip,
      });
      expect(r.statusCode, payload).toBe(400);
      expect(r.json().error.code, payload).toMatch(/^(bad_request|invalid_json)$/);
    }
    const big = await f.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: JSON.stringify({ username: 'reader', password: 'x'.repeat(2 * 1024 * 1024) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('payload_too_large');
  });

  it('throttles repeated failures per username and address with 429 and Retry-After', async () => {
    const attempt = (username: string, password: string, remoteAddress: string) =>
      f.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username, password }, remoteAddress });
    for (let i = 0; i < 5; i++)
      expect((await attempt('reader', 'nope-nope', '10.9.9.9')).statusCode).toBe(401);
    // Locked now, even with the right password.
    const locked = await attempt('reader', PASSWORD, '10.9.9.9');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('too_many_attempts');
    const retry = Number(locked.headers['retry-after']);
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(30);
    // Another address, or another username from that address, is not affected.
    expect((await attempt('reader', PASSWORD, '10.9.9.10')).statusCode).toBe(200);
    expect((await attempt('boss', PASSWORD, '10.9.9.9')).statusCode).toBe(200);
  });
});

describe('bearer tokens on the EMS Webapi', () => {
  it('answers 401 without a token, with a malformed header, and for expired, tampered, alg none, other-algorithm and foreign-key tokens', async () => {
    const good = await login(f.app);
    const [h, p] = good.split('.') as [string, string, string];
    const secret = f.engine.store.meta.jwtSecret();
    const cases: [string, Record<string, string>, string][] = [
      ['none', {}, 'unauthorized'],
      ['basic', { authorization: 'Basic cmVhZGVyOng=' }, 'invalid_header'],
      ['empty bearer', { authorization: 'Bearer ' }, 'invalid_header'],
      [
        'expired',
        bearer(
          await issueToken(f.engine.store, { username: 'reader', role: 'api' }, Date.now() - 31 * 60_000),
        ),
        'token_expired',
      ],
      [
        'tampered payload',
        bearer(`${h}.${b64({ ...decodeJwt(good), role: 'admin' })}.${good.split('.')[2]}`),
        'invalid_token',
      ],
      ['tampered signature', bearer(`${h}.${p}.${'A'.repeat(43)}`), 'invalid_token'],
      ['alg none', bearer(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`), 'invalid_token'],
      [
        'HS512 with the right key',
        bearer(await new SignJWT(claims()).setProtectedHeader({ alg: 'HS512' }).sign(secret)),
        'invalid_token',
      ],
      [
        'foreign key',
        bearer(await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256' }).sign(randomBytes(32))),
        'invalid_token',
      ],
      ['garbage', bearer('not.a.jwt'), 'invalid_token'],
    ];
    for (const [name, headers, code] of cases) {
      const r = await webapi(headers);
      expect(r.status, name).toBe(401);
      expect(r.body.error.code, name).toBe(code);
      expect(r.headers['www-authenticate'], name).toMatch(/^Bearer/);
    }
  });

  it('refuses a token it accepted before (its check is kept) once the token has expired', async () => {
    const token = await login(f.app);
    expect((await webapi(bearer(token))).status).toBe(200);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 31 * 60_000 });
    try {
      const r = await webapi(bearer(token));
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('token_expired');
    } finally {
      vi.useRealTimers();
    }
  });

  it('stops accepting a token once its account is removed', async () => {
    f.engine.store.users.add('temp', PASSWORD, 'api');
    const token = await login(f.app, 'temp');
    expect((await webapi(bearer(token))).status).toBe(200);
    f.engine.store.users.remove('temp');
    expect((await webapi(bearer(token))).status).toBe(401);
  });

  it('sees an account removed and a secret rotated by another connection (the CLI) within a millisecond', async () => {
    f.engine.store.users.add('temp2', PASSWORD, 'api');
    const token = await login(f.app, 'temp2');
    const other = await login(f.app);
    expect((await webapi(bearer(token))).status).toBe(200);
    expect((await webapi(bearer(other))).status).toBe(200);
    const cli = new Database(f.engine.store.options.file);
    try {
      cli.prepare('DELETE FROM users WHERE username = ?').run('temp2');
      await pastForeignCommitWindow();
      expect((await webapi(bearer(token))).status).toBe(401);
      expect((await webapi(bearer(other))).status).toBe(200);
      cli
        .prepare('UPDATE meta SET value = ? WHERE key = ?')
        .run(randomBytes(32).toString('base64'), 'jwt_secret');
      await pastForeignCommitWindow();
      expect((await webapi(bearer(other))).status).toBe(401);
      expect((await webapi(bearer(await login(f.app)))).status).toBe(200);
    } finally {
      cli.close();
    }
  });

  it('requires auth on every documented endpoint except /ver, login, /openapi.json and /docs', async () => {
    const doc = (await f.app.inject({ url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const open = ['/ver', '/v1/auth/login', '/openapi.json'];
    let checked = 0;
    for (const [path, ops] of Object.entries(doc.paths))
      for (const method of Object.keys(ops)) {
        const url = path.replace('{uid}', '1').replace('{id}', '0123456789abcdef');
        const r = await f.app.inject({
          method: method.toUpperCase() as 'GET',
          url,
          payload: method === 'get' ? undefined : {},
        });
        if (open.includes(path)) expect(r.statusCode, `${method} ${path}`).not.toBe(401);
        else {
          expect([401, 403], `${method} ${path}`).toContain(r.statusCode);
          checked++;
        }
      }
    expect(checked).toBeGreaterThan(25);
    expect((await f.app.inject({ url: '/docs' })).statusCode).toBe(200);
  });
});

describe('API tokens', () => {
  it('are managed by admins only; the secret is shown once and works in X-Enapter-Auth-Token until revoked', async () => {
    const reader = bearer(await login(f.app));
    const boss = bearer(await login(f.app, 'boss'));
    expect((await f.app.inject({ url: '/v1/tokens', headers: reader })).statusCode).toBe(403);
    const created = await f.app.inject({
      method: 'POST',
      url: '/v1/tokens',
      headers: boss,
      payload: { label: 'grafana' },
    });
    expect(created.statusCode).toBe(200);
    const { id, token, createdBy, revoked } = created.json() as {
      id: string;
      token: string;
      createdBy: string;
      revoked: boolean;
    };
    expect([createdBy, revoked]).toEqual(['boss', false]);
    expect(token).toMatch(/^emsc_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const listed = await f.app.inject({ url: '/v1/tokens', headers: boss });
    // The secret is everything after emsc_<16 hex>_ (it may itself hold '_', even as its first character).
    expect(listed.body).not.toContain(token.slice('emsc_0123456789abcdef_'.length));
    expect(f.engine.store.db.prepare('SELECT hash FROM api_tokens WHERE id = ?').pluck().get(id)).toMatch(
      /^[0-9a-f]{64}$/,
    );

    const now = (t: string) =>
      f.app.inject({
        url: `/api/telemetry/v1/now?devices[2]=voltage`,
        headers: { 'x-enapter-auth-token': t },
      });
    expect((await now(token)).statusCode).toBe(200);
    // Long-lived tokens are for the Telemetry API; the Webapi takes only login JWTs.
    expect((await webapi(bearer(token))).status).toBe(401);
    const revokedR = await f.app.inject({ method: 'DELETE', url: `/v1/tokens/${id}`, headers: boss });
    expect(revokedR.json()).toMatchObject({ id, revoked: true });
    expect((await now(token)).statusCode).toBe(403);
    expect(
      (await f.app.inject({ method: 'DELETE', url: '/v1/tokens/ffffffffffffffff', headers: boss }))
        .statusCode,
    ).toBe(404);
    expect((await f.app.inject({ method: 'DELETE', url: '/v1/tokens/nope', headers: boss })).statusCode).toBe(
      400,
    );
    const noLabel = await f.app.inject({
      method: 'POST',
      url: '/v1/tokens',
      headers: boss,
      payload: { label: '' },
    });
    expect(noLabel.statusCode).toBe(400);
  });

  it('die with the admin account that made them', () => {
    f.engine.store.users.add('temp-admin', PASSWORD, 'admin');
    const { token } = f.engine.store.tokens.create('ci', 'temp-admin');
    expect(f.engine.store.tokens.verify(token)).toBeDefined();
    f.engine.store.users.remove('temp-admin');
    expect(f.engine.store.tokens.verify(token)).toBeUndefined();
    expect(() => f.engine.store.tokens.create('x', 'reader')).toThrow(/not an admin/);
  });
});

describe('X-Enapter-Auth-Token on the Telemetry API', () => {
  it('answers 403 invalid_header without the header, 403 forbidden for a bad token, and takes a login JWT', async () => {
    const url = '/telemetry/v1/now?devices[2]=voltage';
    const missing = await f.app.inject({ url, remoteAddress: '10.1.1.1' });
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toEqual({ errors: [{ code: 'invalid_header', message: expect.any(String) }] });
    const expired = await issueToken(
      f.engine.store,
      { username: 'reader', role: 'api' },
      Date.now() - 31 * 60_000,
    );
    for (const t of [
      'nope',
      expired,
      `${b64({ alg: 'none' })}.${b64(claims())}.`,
      'emsc_0123456789abcdef_' + 'A'.repeat(43),
    ]) {
      const r = await f.app.inject({
        url,
        headers: { 'x-enapter-auth-token': t },
        remoteAddress: '10.1.1.1',
      });
      expect(r.statusCode).toBe(403);
      expect(r.json().errors[0].code).toBe('forbidden');
    }
    const jwt = await login(f.app);
    expect((await f.app.inject({ url, headers: { 'x-enapter-auth-token': jwt } })).statusCode).toBe(200);
  });

  it('locks an address out with 429 and Retry-After after 20 failures', async () => {
    const ask = (t: string) =>
      f.app.inject({
        url: '/api/telemetry/v1/now?devices[2]=voltage',
        headers: { 'x-enapter-auth-token': t },
        remoteAddress: '10.2.2.2',
      });
    for (let i = 0; i < 20; i++) expect((await ask(`bad-${i}`)).statusCode).toBe(403);
    const r = await ask(await login(f.app));
    expect(r.statusCode).toBe(429);
    expect(r.json().errors[0].code).toBe('too_many_requests');
    expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });
});
