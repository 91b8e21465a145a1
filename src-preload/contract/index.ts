/**
 * THE contract between the renderer and the engine. The Electron preload (IPC), the browser bridge
 * (WebSocket) and main's handlers all implement or consume exactly these types. No Electron, no Node.
 */
import type { Device, Load, Protocol, Realtime, Signal } from './domain.js';

export * from './domain.js';

export interface EngineInfo {
  version: string;
  host: 'electron' | 'browser';
  dbFile: string;
  apiUrl: string | null;
  demo: boolean;
}

export interface TreeLoad extends Load {
  signals: Signal[];
}
export interface TreeDevice extends Device {
  loads: TreeLoad[];
}

/** Request → response types of every call, keyed by channel name. */
export interface InvokeMap {
  'engine.info': { req: void; res: EngineInfo };
  'config.tree': { req: { protocol?: Protocol } | void; res: TreeDevice[] };
  'realtime.get': { req: { uids?: number[] } | void; res: Realtime[] };
}

/** Columnar batch of samples: one message per ~250 ms, never one per sample. */
export interface SampleBatch {
  uid: number[];
  t: number[];
  v: (number | string | null)[];
  s: number[];
}

/** Event payloads pushed from the engine, keyed by event name. */
export interface EventMap {
  samples: SampleBatch;
}

export type InvokeChannel = keyof InvokeMap;
export type EventName = keyof EventMap;

export type Result<T> = { ok: true; data: T } | { ok: false; code: string; message: string };

/** What `window.ems` offers the renderer, whichever bridge backs it. */
export interface EmsApi {
  invoke<K extends InvokeChannel>(channel: K, arg: InvokeMap[K]['req']): Promise<Result<InvokeMap[K]['res']>>;
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
}

/** The IPC channel names, derived from the maps so no string is typed twice. */
export const INVOKE_PREFIX = 'ems:invoke:';
export const EVENT_PREFIX = 'ems:event:';
