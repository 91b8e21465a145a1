/**
 * The browser bridge's wire format: the same contract as IPC, carried as JSON messages over one
 * WebSocket. Shared by the server (src-main/bridge) and the client (src-renderer/src/bridge).
 */
import type { EventName, Result } from './index.js';

export const BRIDGE_PATH = '/bridge';
export const LOGIN_PATH = '/v1/auth/login';
/** Trades the one-time token of the sign-in link `serve` prints for a session token (loopback only). */
export const LINK_SIGNIN_PATH = '/bridge/link';
/** The sign-in link's fragment: `http://127.0.0.1:PORT/#signin=TOKEN`. */
export const LINK_FRAGMENT = 'signin';

/** Close codes: 4401 not signed in (or the session ended), 4400 a message that breaks the protocol. */
export const CLOSE_AUTH = 4401;
export const CLOSE_PROTOCOL = 4400;

export type ClientMessage =
  | { t: 'auth'; token: string }
  | { t: 'invoke'; id: number; channel: string; arg?: unknown }
  | { t: 'sub'; event: string }
  | { t: 'unsub'; event: string };

export type ServerMessage =
  | { t: 'ready'; user: { username: string; role: 'api' | 'admin' } }
  | { t: 'result'; id: number; result: Result<unknown> }
  | { t: 'event'; event: EventName; payload: unknown }
  /** A fresh session token, sent while the socket is open so a reload does not need a new login. */
  | { t: 'token'; token: string }
  | { t: 'error'; code: string; message: string };
