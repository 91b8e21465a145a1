import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BRIDGE_PATH, LINK_FRAGMENT, LINK_SIGNIN_PATH } from '../../src-preload/contract/bridge.js';
import { issueToken, LOCAL_ADMIN, verifyToken } from '../../src-main/api/auth.js';
import { buildApi } from '../../src-main/api/server.js';
import { isLoopbackAddress, linkBase, LINK_TTL_MS, SignInLinks } from '../../src-main/api/signin-link.js';
import { linkSigninRoute } from '../../src-main/bridge/link-route.js';
import { startRuntime, type Runtime } from '../../src-main/runtime.js';

describe('one-time sign-in links (in memory)', () => {
  it('a token works once', () => {
    const links = new SignInLinks();
    const a = links.issue();
    const b = links.issue();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(links.redeem(a)).toBe('ok');
    expect(links.redeem(a)).toBe('unknown');
    expect(links.redeem(b)).toBe('ok');
    expect(links.redeem('made-up-token-made-up-token-made-up-token00')).toBe('unknown');
  });

  it('for 10 minutes by the clock it is given; an expired one is gone after one try', () => {
    let now = 1_000_000;
    const links = new SignInLinks(() => now);
    const onTime = links.issue();
    const late = links.issue();
    now += LINK_TTL_MS;
    expect(links.redeem(onTime)).toBe('ok');
    now += 1;
    expect(links.redeem(late)).toBe('expired');
    expect(links.redeem(late)).toBe('unknown');
  });

  it('printed for loopback or all-addresses APIs, not for one bound to an outside address', () => {
    expect(linkBase('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/');
    expect(linkBase('http://0.0.0.0:8080')).toBe('http://127.0.0.1:8080/');
    expect(linkBase('http://[::]:8080')).toBe('http://[::1]:8080/');
    expect(linkBase('http://[::1]:8080')).toBe('http://[::1]:8080/');
    expect(linkBase('http://192.168.1.20:8080')).toBeUndefined();
    expect(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'].every(isLoopbackAddress)).toBe(true);
    expect(['10.0.0.1', '::ffff:10.0.0.1', '1270.0.0.1', '', undefined].some(isLoopbackAddress)).toBe(false);
  });
});

describe('sign-in link over HTTP and the bridge', () => {
  let dir: string;
  let rt: Runtime;
  const post = (token: string, remoteAddress = '127.0.0.1', api: FastifyInstance = rt.api!) =>
    api.inject({ method: 'POST', url: LINK_SIGNIN_PATH, payload: { token }, remoteAddress });
  const tokenOf = (link: string): string => new URL(link).hash.slice(`#${LINK_FRAGMENT}=`.length);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ems-link-'));
    rt = await startRuntime({
      dbFile: join(dir, 'ems.db'),
      api: { host: '127.0.0.1', port: 0 },
      demo: 'never',
    });
  });
  afterAll(async () => {
    await rt.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the link points at the running API with the token in the fragment', () => {
    const link = rt.signInLink()!;
    expect(link).toMatch(new RegExp(`^${rt.url}/#${LINK_FRAGMENT}=[A-Za-z0-9_-]{43}$`));
  });

  it('a real request from loopback gets a local admin session once; the second use is refused', async () => {
    const token = tokenOf(rt.signInLink()!);
    const first = await fetch(`${rt.url}${LINK_SIGNIN_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    expect(first.status).toBe(200);
    const { token: session } = (await first.json()) as { token: string };

    // The session opens the browser bridge as the local admin, with admin rights, without an account.
    const ws = new WebSocket(`${rt.url!.replace('http', 'ws')}${BRIDGE_PATH}`);
    const got: { t: string; user?: unknown; id?: number; result?: { ok: boolean } }[] = [];
    const next = (pred: (m: (typeof got)[number]) => boolean): Promise<(typeof got)[number]> =>
      new Promise((done, fail) => {
        const t = setTimeout(() => fail(new Error(`no such message; got ${JSON.stringify(got)}`)), 15_000);
        const check = (): void => {
          const hit = got.find(pred);
          if (hit) {
            clearTimeout(t);
            done(hit);
          } else setTimeout(check, 50);
        };
        check();
      });
    ws.on('message', (m) => got.push(JSON.parse(String(m)) as (typeof got)[number]));
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ t: 'auth', token: session }));
    expect((await next((m) => m.t === 'ready')).user).toEqual({ username: 'local admin', role: 'admin' });
    ws.send(JSON.stringify({ t: 'invoke', id: 1, channel: 'users.list' }));
    expect((await next((m) => m.t === 'result' && m.id === 1)).result).toMatchObject({ ok: true, data: [] });
    ws.close();

    const again = await post(token);
    expect(again.statusCode).toBe(401);
    expect(again.json()).toMatchObject({ error: { code: 'link_used' } });
  });

  it('from another address: 403, and the token is not used up by the attempt', async () => {
    const token = tokenOf(rt.signInLink()!);
    for (const addr of ['192.168.1.20', '::ffff:10.0.0.7', '2001:db8::1']) {
      const r = await post(token, addr);
      expect(r.statusCode, addr).toBe(403);
      expect(r.json()).toMatchObject({ error: { code: 'forbidden' } });
    }
    // A forwarded-for header from loopback's neighbour does not make it local.
    const forwarded = await rt.api!.inject({
      method: 'POST',
      url: LINK_SIGNIN_PATH,
      payload: { token },
      remoteAddress: '192.168.1.20',
      headers: { 'x-forwarded-for': '127.0.0.1' },
    });
    expect(forwarded.statusCode).toBe(403);
    expect((await post(token)).statusCode).toBe(200);
  });

  it('expired after 10 minutes by the clock the route is given', async () => {
    let now = Date.now();
    const links = new SignInLinks(() => now);
    const api = await buildApi(rt.engine, [
      (app) => linkSigninRoute(app, () => ({ engine: rt.engine, links })),
    ]);
    try {
      const late = links.issue();
      const onTime = links.issue();
      now += LINK_TTL_MS - 1;
      expect((await post(onTime, '127.0.0.1', api)).statusCode).toBe(200);
      now += 2;
      const r = await post(late, '127.0.0.1', api);
      expect([r.statusCode, r.json<{ error: { code: string } }>().error.code]).toEqual([401, 'link_expired']);
    } finally {
      await api.close();
    }
  });

  it('bad bodies are a 400, not a crash', async () => {
    for (const payload of [{}, { token: '' }, { token: { a: 1 } }, { token: 'x'.repeat(201) }]) {
      const r = await rt.api!.inject({
        method: 'POST',
        url: LINK_SIGNIN_PATH,
        payload,
        remoteAddress: '127.0.0.1',
      });
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
    }
  });

  it("the local admin's token works only where loopback is vouched for: never at the REST API", async () => {
    const local = await issueToken(rt.engine.store, LOCAL_ADMIN);
    expect(await verifyToken(rt.engine.store, local)).toEqual({ ok: false, reason: 'invalid' });
    expect(await verifyToken(rt.engine.store, local, { local: true })).toMatchObject({
      ok: true,
      principal: { username: 'local admin', role: 'admin' },
    });
    const r = await rt.api!.inject({
      method: 'GET',
      url: '/v1/sn',
      headers: { authorization: `Bearer ${local}` },
    });
    expect(r.statusCode).toBe(401);
  });
});
