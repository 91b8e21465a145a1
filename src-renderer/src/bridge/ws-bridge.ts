import {
  BRIDGE_PATH,
  CLOSE_AUTH,
  LINK_SIGNIN_PATH,
  LOGIN_PATH,
  type ClientMessage,
  type ServerMessage,
} from '../../../src-preload/contract/bridge.js';
import { i18n } from '../i18n/index.js';
import type {
  EmsApi,
  EventMap,
  EventName,
  InvokeArgs,
  InvokeChannel,
  InvokeMap,
  Result,
} from '../../../src-preload/contract/index.js';

export type BridgeState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface BridgeOptions {
  /** Base URL of `serve` (http://host:port); the page's own origin by default. */
  origin?: string;
  /** Called with every fresh session token (at sign-in and when the server renews it). */
  onToken?: (token: string) => void;
  /** The session ended for good (token refused or expired): the UI shows the login page again. */
  onSignedOut?: (reason: string) => void;
  onState?: (state: BridgeState) => void;
  /** A call waits this long for its answer before it fails. */
  callTimeoutMs?: number;
}

type Pending = {
  resolve: (r: Result<unknown>) => void;
  timer: ReturnType<typeof setTimeout>;
  /** On the wire: lost with the socket. Not yet sent: goes out after the reconnect. */
  sent: boolean;
};
type Listener = (payload: never) => void;

/** Signs in at the API's login endpoint (same accounts as the API); resolves with the session token. */
export async function login(username: string, password: string, origin = location.origin): Promise<string> {
  let res: Response;
  try {
    res = await fetch(`${origin}${LOGIN_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
  } catch {
    throw new Error(i18n.t('login.noEngine'));
  }
  const body = (await res.json().catch(() => ({}))) as { token?: string; error?: { message?: string } };
  if (res.ok && typeof body.token === 'string') return body.token;
  if (res.status === 401 || res.status === 403) throw new Error(i18n.t('login.wrong'));
  throw new Error(body.error?.message ?? i18n.t('login.failed', { status: res.status }));
}

/** Trades the one-time token of the sign-in link for a session token as the local admin. */
export async function signInWithLink(linkToken: string, origin = location.origin): Promise<string> {
  let res: Response;
  try {
    res = await fetch(`${origin}${LINK_SIGNIN_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: linkToken }),
    });
  } catch {
    throw new Error(i18n.t('login.noEngine'));
  }
  const body = (await res.json().catch(() => ({}))) as { token?: string; error?: { code?: string } };
  if (res.ok && typeof body.token === 'string') return body.token;
  const code = body.error?.code;
  if (code === 'link_expired') throw new Error(i18n.t('login.linkExpired'));
  if (code === 'link_used') throw new Error(i18n.t('login.linkUsed'));
  if (res.status === 403) throw new Error(i18n.t('login.linkElsewhere'));
  throw new Error(i18n.t('login.failed', { status: res.status }));
}

/**
 * The contract over one WebSocket to `ems-commissioner serve`: the same EmsApi the Electron preload
 * exposes. Reconnects by itself (re-sending its subscriptions) while the session token is valid.
 */
export class WsBridge implements EmsApi {
  private ws: WebSocket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<EventName, Set<Listener>>();
  private outbox: ClientMessage[] = [];
  private ready = false;
  private stopped = false;
  private retryMs = 500;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  state: BridgeState = 'connecting';

  constructor(
    private token: string,
    private readonly o: BridgeOptions = {},
  ) {}

  /** Opens the socket (and keeps reopening it until `close`). */
  start(): void {
    this.stopped = false;
    clearTimeout(this.retryTimer);
    if (!this.ws) this.connect();
  }

  invoke<K extends InvokeChannel>(channel: K, ...args: InvokeArgs<K>): Promise<Result<InvokeMap[K]['res']>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ ok: false, code: 'timeout', message: i18n.t('login.noAnswer', { channel }) });
      }, this.o.callTimeoutMs ?? 120_000);
      this.pending.set(id, { resolve: resolve as (r: Result<unknown>) => void, timer, sent: false });
      this.send({ t: 'invoke', id, channel, ...(args[0] === undefined ? {} : { arg: args[0] }) });
    });
  }

  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
      this.send({ t: 'sub', event });
    }
    set.add(listener as Listener);
    return () => {
      const cur = this.listeners.get(event);
      if (!cur?.delete(listener as Listener) || cur.size) return;
      this.listeners.delete(event);
      this.send({ t: 'unsub', event });
    };
  }

  close(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.ws?.close(1000, 'signed out');
    this.ws = undefined;
    this.ready = false;
    this.setState('closed');
    this.failPending('closed', 'signed out');
  }

  private setState(s: BridgeState): void {
    this.state = s;
    this.o.onState?.(s);
  }

  private send(m: ClientMessage): void {
    if (this.ready && this.ws?.readyState === WebSocket.OPEN) this.transmit(m);
    else if (m.t === 'invoke') this.outbox.push(m);
    // sub/unsub while disconnected: the listener map is re-sent on reconnect.
  }

  private transmit(m: ClientMessage): void {
    if (m.t === 'invoke') {
      const p = this.pending.get(m.id);
      if (p) p.sent = true;
    }
    this.ws?.send(JSON.stringify(m));
  }

  private connect(): void {
    const origin = this.o.origin ?? location.origin;
    const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}${BRIDGE_PATH}`);
    this.ws = ws;
    ws.onopen = () => ws.send(JSON.stringify({ t: 'auth', token: this.token } satisfies ClientMessage));
    ws.onmessage = (e) => this.onMessage(String(e.data));
    ws.onclose = (e) => this.onClose(e.code, e.reason);
  }

  private onMessage(raw: string): void {
    let m: ServerMessage;
    try {
      m = JSON.parse(raw) as ServerMessage;
    } catch {
      return;
    }
    switch (m.t) {
      case 'ready':
        this.ready = true;
        this.retryMs = 500;
        this.setState('open');
        for (const event of this.listeners.keys()) this.transmit({ t: 'sub', event });
        for (const q of this.outbox.splice(0))
          if (q.t !== 'invoke' || this.pending.has(q.id)) this.transmit(q);
        return;
      case 'result': {
        const p = this.pending.get(m.id);
        if (!p) return;
        clearTimeout(p.timer);
        this.pending.delete(m.id);
        p.resolve(m.result);
        return;
      }
      case 'event':
        for (const l of this.listeners.get(m.event) ?? []) l(m.payload as never);
        return;
      case 'token':
        this.token = m.token;
        this.o.onToken?.(m.token);
        return;
      case 'error':
        return;
    }
  }

  private onClose(code: number, reason: string): void {
    this.ready = false;
    this.ws = undefined;
    if (this.stopped) return;
    if (code === CLOSE_AUTH) {
      this.stopped = true;
      this.setState('closed');
      this.failPending('unauthorized', reason || 'signed out');
      this.o.onSignedOut?.(reason || i18n.t('login.sessionEnded'));
      return;
    }
    // Calls already sent will never be answered on the new socket; unsent ones wait for it.
    this.failPending('disconnected', 'connection to the engine lost', true);
    this.setState('reconnecting');
    this.retryTimer = setTimeout(() => this.connect(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, 10_000);
  }

  private failPending(code: string, message: string, onlySent = false): void {
    for (const [id, p] of this.pending) {
      if (onlySent && !p.sent) continue;
      clearTimeout(p.timer);
      p.resolve({ ok: false, code, message });
      this.pending.delete(id);
    }
  }
}
