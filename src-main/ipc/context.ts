import type { Engine } from '../engine.js';
import type { EventHub } from './events.js';

/** Whether the built-in demo plant runs, and switching it. */
export interface DemoControl {
  running(): boolean;
  set(on: boolean): Promise<void>;
  /** Switches the demo plant's test load on one conductor; false when the demo plant is not running. */
  switchLoad(phase: 1 | 2 | 3, watts: number): boolean;
}

/** What the handlers need from the process that hosts them (the desktop app or `serve`). */
export interface HostContext {
  engine: Engine;
  host: 'electron' | 'browser';
  version: string;
  apiUrl(): string | null;
  demo: DemoControl;
  events: EventHub;
}

/** Who makes a call: null in the desktop window (the local user), the signed-in account over the bridge. */
export interface Caller {
  username: string;
  role: 'api' | 'admin';
}

export interface CallContext {
  caller: Caller | null;
}
