import type { WebSocket } from 'ws';
import {
  CLOSE_AUTH,
  CLOSE_PROTOCOL,
  type ClientMessage,
  type ServerMessage,
} from '../../src-preload/contract/bridge.js';
import { isEventName, type EventName } from '../../src-preload/contract/index.js';
import { issueToken, LOCAL_ADMIN, verifyToken, type Principal } from '../api/auth.js';
import type { HostContext } from '../ipc/context.js';
import { dispatch, type Handlers } from '../ipc/dispatch.js';
import { logger } from '../util/log.js';

export interface SessionOptions {
  /** How long a client has to send its token after connecting. */
  authTimeoutMs?: number;
  /** How often an open session gets a fresh token (tokens live 30 minutes). */
  renewEveryMs?: number;
  /** Above this many queued bytes, live feeds skip batches for this client instead of piling up. */
  maxBufferedBytes?: number;
  /** The browser is on this computer: a local admin's token (from the sign-in link) is accepted. */
  loopback?: boolean;
}

/** Feeds where a late batch is worth less than a skipped one. */
const DROPPABLE: ReadonlySet<EventName> = new Set<EventName>(['samples', 'monitor.frames', 'status']);

const log = logger('bridge');

function parse(raw: unknown): ClientMessage | undefined {
  try {
    const m = JSON.parse(String(raw)) as Partial<ClientMessage> | null;
    if (!m || typeof m !== 'object' || typeof m.t !== 'string') return undefined;
    return m as ClientMessage;
  } catch {
    return undefined;
  }
}

/**
 * One browser connected over the WebSocket: authenticates with a login token (in the URL or as the
 * first message), then carries invokes and subscriptions of the contract through the same dispatch
 * as IPC. Every subscription ends with the socket.
 */
export class BridgeSession {
  private caller: Principal | undefined;
  private authing: Promise<void> | undefined;
  private readonly subs = new Map<EventName, () => void>();
  private readonly timers: NodeJS.Timeout[] = [];
  dropped = 0;

  constructor(
    private readonly ws: WebSocket,
    private readonly ctx: HostContext,
    private readonly handlers: Handlers,
    private readonly o: SessionOptions = {},
  ) {
    ws.on('message', (raw) => void this.onMessage(raw));
    ws.on('close', () => this.end());
    ws.on('error', () => this.end());
  }

  /** Starts the session: signs in at once with a token from the URL, else waits for an auth message. */
  async start(urlToken: string | undefined): Promise<void> {
    if (urlToken) {
      await this.authenticate(urlToken);
      return;
    }
    const t = setTimeout(() => {
      if (!this.caller) this.close(CLOSE_AUTH, 'no token sent');
    }, this.o.authTimeoutMs ?? 10_000);
    t.unref();
    this.timers.push(t);
  }

  private send(m: ServerMessage): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(m));
  }

  private close(code: number, reason: string): void {
    this.send({ t: 'error', code: code === CLOSE_AUTH ? 'unauthorized' : 'protocol', message: reason });
    this.ws.close(code, reason.slice(0, 120));
    this.end();
  }

  private authenticate(token: string): Promise<void> {
    // Messages that arrive while the token is checked wait for the outcome instead of being refused.
    this.authing ??= this.checkToken(token).finally(() => (this.authing = undefined));
    return this.authing;
  }

  private async checkToken(token: string): Promise<void> {
    const check = await verifyToken(this.ctx.engine.store, token, { local: this.o.loopback === true });
    if (!check.ok) {
      this.close(CLOSE_AUTH, check.reason === 'expired' ? 'session expired: sign in again' : 'invalid token');
      return;
    }
    this.caller = check.principal;
    this.send({ t: 'ready', user: { username: check.principal.username, role: check.principal.role } });
    const renew = setInterval(() => void this.renew(), this.o.renewEveryMs ?? 10 * 60_000);
    renew.unref();
    this.timers.push(renew);
  }

  /** A fresh token for a session that is still allowed: the account must still exist with its role. */
  private async renew(): Promise<void> {
    const c = this.caller;
    if (!c) return;
    if (c.local) {
      this.send({ t: 'token', token: await issueToken(this.ctx.engine.store, LOCAL_ADMIN) });
      return;
    }
    const user = this.ctx.engine.store.users.list().find((u) => u.username === c.username);
    if (!user || user.role !== c.role) {
      this.close(CLOSE_AUTH, 'the account was removed or changed');
      return;
    }
    this.send({ t: 'token', token: await issueToken(this.ctx.engine.store, c) });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const m = parse(raw);
    if (this.authing) await this.authing;
    if (!m) {
      this.close(CLOSE_PROTOCOL, 'messages must be JSON objects with a "t" field');
      return;
    }
    if (!this.caller) {
      if (m.t === 'auth' && typeof m.token === 'string') await this.authenticate(m.token);
      else this.close(CLOSE_AUTH, 'sign in first: send {"t":"auth","token":…}');
      return;
    }
    switch (m.t) {
      case 'invoke': {
        if (typeof m.id !== 'number') {
          this.close(CLOSE_PROTOCOL, 'invoke needs a numeric id');
          return;
        }
        const result = await dispatch(this.handlers, m.channel, m.arg, { caller: this.caller });
        this.send({ t: 'result', id: m.id, result });
        return;
      }
      case 'sub':
        if (!isEventName(m.event)) {
          this.send({
            t: 'error',
            code: 'unknown_event',
            message: `no event named ${JSON.stringify(m.event)}`,
          });
          return;
        }
        this.subscribe(m.event);
        return;
      case 'unsub':
        if (isEventName(m.event)) {
          this.subs.get(m.event)?.();
          this.subs.delete(m.event);
        }
        return;
      case 'auth':
        return;
      default:
        this.close(CLOSE_PROTOCOL, `unknown message type ${JSON.stringify((m as { t: unknown }).t)}`);
    }
  }

  private subscribe(event: EventName): void {
    if (this.subs.has(event)) return;
    const max = this.o.maxBufferedBytes ?? 4 * 1024 * 1024;
    const off = this.ctx.events.subscribe(event, (payload) => {
      if (DROPPABLE.has(event) && this.ws.bufferedAmount > max) {
        this.dropped++;
        if (this.dropped % 100 === 1)
          log.warn({ event, dropped: this.dropped }, 'slow client: batches skipped');
        return;
      }
      this.send({ t: 'event', event, payload });
    });
    this.subs.set(event, off);
  }

  private end(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.length = 0;
    for (const off of this.subs.values()) off();
    this.subs.clear();
  }
}
