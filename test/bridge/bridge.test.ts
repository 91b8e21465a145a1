import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import type { ServerMessage } from '../../src-preload/contract/bridge.js';
import type { MonitorFrameView, SampleBatch } from '../../src-preload/contract/index.js';
import { verifyToken } from '../../src-main/api/auth.js';
import { BridgeSession } from '../../src-main/bridge/session.js';
import { serveRenderer } from '../../src-main/bridge/static.js';
import { rig, simMeter, type Rig } from '../ipc/rig.js';

/** A WebSocket client that keeps every message, so a test can wait for the one it needs. */
class Client {
  readonly ws: WebSocket;
  readonly got: ServerMessage[] = [];
  private waiters: (() => void)[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private id = 0;

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.on('message', (m) => {
      this.got.push(JSON.parse(String(m)) as ServerMessage);
      for (const w of this.waiters.splice(0)) w();
    });
    this.closed = new Promise((done) =>
      this.ws.on('close', (code, reason) => done({ code, reason: String(reason) })),
    );
  }

  opened(): Promise<void> {
    return new Promise((done, fail) => {
      this.ws.once('open', () => done());
      this.ws.once('error', fail);
    });
  }

  send(m: unknown): void {
    this.ws.send(typeof m === 'string' ? m : JSON.stringify(m));
  }

  async wait<T extends ServerMessage>(pred: (m: ServerMessage) => m is T, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.got.find(pred);
      if (hit) return hit;
      if (Date.now() > deadline)
        throw new Error(`no matching message; got ${JSON.stringify(this.got).slice(0, 400)}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
  }

  async invoke(channel: string, arg?: unknown): Promise<Extract<ServerMessage, { t: 'result' }>['result']> {
    const id = ++this.id;
    this.send({ t: 'invoke', id, channel, ...(arg === undefined ? {} : { arg }) });
    const m = await this.wait(
      (x): x is Extract<ServerMessage, { t: 'result' }> => x.t === 'result' && x.id === id,
    );
    return m.result;
  }
}

const isReady = (m: ServerMessage): m is Extract<ServerMessage, { t: 'ready' }> => m.t === 'ready';

describe('browser bridge: the contract over a WebSocket, behind the API login', () => {
  let r: Rig;
  let ws: string;
  let sim: Awaited<ReturnType<typeof simMeter>>;
  const login = async (username: string, password: string): Promise<string> => {
    const res = await fetch(`${r.rt.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { token: string }).token;
  };

  beforeAll(async () => {
    r = await rig({ api: true });
    ws = `${r.rt.url?.replace('http', 'ws')}/bridge`;
    r.rt.engine.store.users.add('tech', 'tech-password', 'admin');
    r.rt.engine.store.users.add('reader', 'reader-password', 'api');
    sim = await simMeter('eastron-sdm630', 2);
    await r.call('device.add', {
      model: 'eastron-sdm630',
      connection: { host: '127.0.0.1', port: sim.port, unit: 2, model: 'eastron-sdm630' },
    });
  });
  afterAll(async () => {
    await r.close();
    await sim.sim.stop();
  });

  it('signs in with the login token as first message, then answers calls and pushes batched events', async () => {
    const c = new Client(ws);
    await c.opened();
    c.send({ t: 'auth', token: await login('tech', 'tech-password') });
    // Sent right behind the token: waits for the sign-in instead of being refused.
    c.send({ t: 'sub', event: 'samples' });
    expect((await c.wait(isReady)).user).toEqual({ username: 'tech', role: 'admin' });
    const info = await c.invoke('engine.info');
    expect(info).toMatchObject({ ok: true, data: { host: 'browser', user: { username: 'tech' } } });
    const tree = await c.invoke('config.tree');
    expect(tree.ok && (tree.data as unknown[]).length).toBe(1);
    expect(await c.invoke('device.update', { uid: 'x' })).toMatchObject({ ok: false, code: 'bad_request' });
    const ev = await c.wait(
      (m): m is Extract<ServerMessage, { t: 'event' }> => m.t === 'event' && m.event === 'samples',
    );
    const batch = ev.payload as SampleBatch;
    expect(batch.uid.length).toBeGreaterThan(10);
    expect(batch.t).toHaveLength(batch.uid.length);
    c.send({ t: 'sub', event: 'monitor.frames' });
    const frames = await c.wait(
      (m): m is Extract<ServerMessage, { t: 'event' }> => m.t === 'event' && m.event === 'monitor.frames',
    );
    expect((frames.payload as MonitorFrameView[])[0]).toMatchObject({
      device: 'SDM630-Modbus / SDM630MCT #2',
      unit: 2,
    });
    c.send({ t: 'sub', event: 'no.such' });
    await c.wait(
      (m): m is Extract<ServerMessage, { t: 'error' }> => m.t === 'error' && m.code === 'unknown_event',
    );
    c.ws.close();
    await c.closed;
  });

  it('accepts the token in the URL, and keeps admin calls from api accounts', async () => {
    const c = new Client(`${ws}?token=${encodeURIComponent(await login('reader', 'reader-password'))}`);
    await c.wait(isReady);
    expect(await c.invoke('users.list')).toEqual({
      ok: false,
      code: 'forbidden',
      message: 'users.list needs an admin account',
    });
    expect(await c.invoke('config.tree')).toMatchObject({ ok: true });
    c.ws.close();
  });

  it('answers a plain HTTP request to the bridge with 426, not a crash', async () => {
    const res = await fetch(`${r.rt.url}/bridge`);
    expect(res.status).toBe(426);
    expect(await res.json()).toEqual({
      error: { code: 'upgrade_required', message: '/bridge speaks WebSocket only' },
    });
  });

  it('closes with 4401 without a valid token and with 4400 on a broken message', async () => {
    const bad = new Client(`${ws}?token=not-a-jwt`);
    expect(await bad.closed).toEqual({ code: 4401, reason: 'invalid token' });

    const early = new Client(ws);
    await early.opened();
    early.send({ t: 'invoke', id: 1, channel: 'config.tree' });
    expect((await early.closed).code).toBe(4401);

    const junk = new Client(ws);
    await junk.opened();
    junk.send({ t: 'auth', token: await login('tech', 'tech-password') });
    await junk.wait(isReady);
    junk.send('{not json');
    expect((await junk.closed).code).toBe(4400);
  });

  it('renews the token of an open session, and ends the session once the account is gone', async () => {
    // A session of its own with short timers, on a plain WebSocket server.
    const server = new WebSocketServer({ port: 0 });
    await new Promise((done) => server.once('listening', done));
    server.on(
      'connection',
      (socket) =>
        void new BridgeSession(socket, r.ctx, r.handlers, { renewEveryMs: 300, authTimeoutMs: 500 }).start(
          undefined,
        ),
    );
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      r.rt.engine.store.users.add('temp', 'temp-password', 'admin');
      // Signed in before connecting: the session's 500 ms auth timer must not race the password hash.
      const token = await login('temp', 'temp-password');
      const c = new Client(url);
      await c.opened();
      c.send({ t: 'auth', token });
      await c.wait(isReady);
      const renewed = await c.wait((m): m is Extract<ServerMessage, { t: 'token' }> => m.t === 'token');
      expect(await verifyToken(r.rt.engine.store, renewed.token)).toMatchObject({
        ok: true,
        principal: { username: 'temp' },
      });
      r.rt.engine.store.users.remove('temp');
      expect(await c.closed).toEqual({ code: 4401, reason: 'the account was removed or changed' });

      const silent = new Client(url);
      expect(await silent.closed).toEqual({ code: 4401, reason: 'no token sent' });
    } finally {
      server.close();
    }
  });
});

describe('serving the built UI', () => {
  it('serves index.html with its security headers and leaves API 404s as JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ems-ui-static-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>EMS</title>');
    const app = Fastify();
    app.setNotFoundHandler((_req, reply) => void reply.status(404).send({ error: { code: 'not_found' } }));
    await serveRenderer(app, dir);
    const page = await app.inject({ url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>EMS</title>');
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const missing = await app.inject({ url: '/v1/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: { code: 'not_found' } });
    await app.close();
  });

  it('says how to build the UI when it is missing', async () => {
    const app = Fastify();
    await serveRenderer(app, undefined);
    const page = await app.inject({ url: '/' });
    expect(page.statusCode).toBe(503);
    expect(page.body).toContain('npm run build');
    await app.close();
  });
});
