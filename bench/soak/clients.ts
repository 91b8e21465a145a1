// The soak's API clients, all at once against the engine: a REST poller (/v1/realtime every second,
// /v1/devices every 10 s), an SSE reader of /v1/stream and a browser-bridge WebSocket subscribed to
// samples and status and invoking device.status every 5 s. Each counts what it got and every error.
import WebSocket from 'ws';
import type { ServerMessage } from '../../src-preload/contract/bridge.js';

export interface ClientCounts {
  rest: { requests: number; byStatus: Record<string, number>; networkErrors: number };
  sse: { connects: number; events: number; errors: number };
  bridge: { connects: number; events: number; invokes: number; failedInvokes: number; errors: number };
}

export interface SoakClients {
  counts: ClientCounts;
  stop(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function startClients(url: string): Promise<SoakClients> {
  const counts: ClientCounts = {
    rest: { requests: 0, byStatus: {}, networkErrors: 0 },
    sse: { connects: 0, events: 0, errors: 0 },
    bridge: { connects: 0, events: 0, invokes: 0, failedInvokes: 0, errors: 0 },
  };
  let running = true;
  let token = '';
  const login = async (): Promise<void> => {
    const r = await fetch(`${url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'soak', password: 'soak-password-1' }),
    });
    counts.rest.requests++;
    counts.rest.byStatus[r.status] = (counts.rest.byStatus[r.status] ?? 0) + 1;
    token = ((await r.json()) as { token?: string }).token ?? token;
  };
  await login();
  // Login tokens last 30 minutes: a fresh one every 10.
  const relogin = setInterval(() => void login().catch(() => counts.rest.networkErrors++), 600_000);

  const get = async (path: string): Promise<void> => {
    try {
      const r = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      await r.arrayBuffer();
      counts.rest.requests++;
      counts.rest.byStatus[r.status] = (counts.rest.byStatus[r.status] ?? 0) + 1;
    } catch {
      if (running) counts.rest.networkErrors++;
    }
  };
  const rest = (async () => {
    for (let i = 0; running; i++) {
      await get('/v1/realtime');
      if (i % 10 === 0) await get('/v1/devices');
      await sleep(1000);
    }
  })();

  const sseAbort = new AbortController();
  const sse = (async () => {
    while (running) {
      try {
        const r = await fetch(`${url}/v1/stream?token=${encodeURIComponent(token)}`, {
          signal: sseAbort.signal,
        });
        counts.sse.connects++;
        if (r.status >= 500)
          counts.rest.byStatus[`sse ${r.status}`] = (counts.rest.byStatus[`sse ${r.status}`] ?? 0) + 1;
        const reader = r.body!.getReader();
        let text = '';
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          text += Buffer.from(value).toString();
          const parts = text.split('\n\n');
          text = parts.pop() ?? '';
          counts.sse.events += parts.filter((p) => p.includes('event: samples')).length;
        }
      } catch {
        if (running) counts.sse.errors++;
      }
      if (running) await sleep(1000);
    }
  })();

  let ws: WebSocket | undefined;
  const bridge = (async () => {
    while (running) {
      await new Promise<void>((done) => {
        const sock = new WebSocket(`${url.replace(/^http/, 'ws')}/bridge`);
        ws = sock;
        let id = 0;
        let timer: NodeJS.Timeout | undefined;
        sock.on('open', () => {
          counts.bridge.connects++;
          sock.send(JSON.stringify({ t: 'auth', token }));
        });
        sock.on('message', (raw) => {
          const m = JSON.parse(String(raw)) as ServerMessage;
          if (m.t === 'ready') {
            sock.send(JSON.stringify({ t: 'sub', event: 'samples' }));
            sock.send(JSON.stringify({ t: 'sub', event: 'status' }));
            timer = setInterval(() => {
              counts.bridge.invokes++;
              sock.send(JSON.stringify({ t: 'invoke', id: ++id, channel: 'device.status' }));
            }, 5000);
          } else if (m.t === 'event') counts.bridge.events++;
          else if (m.t === 'result' && !m.result.ok) counts.bridge.failedInvokes++;
          else if (m.t === 'token') token = m.token;
          else if (m.t === 'error') counts.bridge.errors++;
        });
        sock.on('error', () => {
          if (running) counts.bridge.errors++;
        });
        sock.on('close', () => {
          clearInterval(timer);
          done();
        });
      });
      if (running) await sleep(1000);
    }
  })();

  return {
    counts,
    stop: async () => {
      running = false;
      clearInterval(relogin);
      sseAbort.abort();
      ws?.close();
      await Promise.allSettled([rest, sse, bridge]);
    },
  };
}
