import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';
import type {
  EmsApi,
  EventMap,
  EventName,
  InvokeArgs,
  InvokeChannel,
  InvokeMap,
} from '../../../src-preload/contract/index.js';

const ApiContext = createContext<EmsApi | null>(null);

export function ApiProvider({ api, children }: { api: EmsApi; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

/** The engine connection: the Electron preload or the browser bridge; the UI cannot tell which. */
export function useApi(): EmsApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
}

/** A failed call, with the engine's code and its message in words. */
export class CallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CallError';
  }
}

/** Calls the engine and returns the data, or throws a CallError with the engine's message. */
export async function call<K extends InvokeChannel>(
  api: EmsApi,
  channel: K,
  ...args: InvokeArgs<K>
): Promise<InvokeMap[K]['res']> {
  const r = await api.invoke(channel, ...args);
  if (!r.ok) throw new CallError(r.code, r.message);
  return r.data;
}

/** Subscribes to an engine event for the lifetime of the component; the handler may change freely. */
export function useEvent<E extends EventName>(event: E, handler: (payload: EventMap[E]) => void): void {
  const api = useApi();
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  });
  useEffect(() => api.on(event, (p) => ref.current(p)), [api, event]);
}
