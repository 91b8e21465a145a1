import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  EVENT_PREFIX,
  INVOKE_PREFIX,
  SUBSCRIBE_CHANNEL,
  type EmsApi,
  type EventName,
} from './contract/index.js';

type Listener = (payload: never) => void;
const listeners = new Map<EventName, Set<Listener>>();

function deliver(event: EventName) {
  return (_e: IpcRendererEvent, payload: unknown): void => {
    for (const l of listeners.get(event) ?? []) l(payload as never);
  };
}
const forwarders = new Map<EventName, ReturnType<typeof deliver>>();

/**
 * The preload's whole surface: the typed contract over IPC; nothing else of Node or Electron leaks.
 * Main produces an event for this window only while at least one listener wants it.
 */
const api: EmsApi = {
  invoke: (channel, ...args) => ipcRenderer.invoke(`${INVOKE_PREFIX}${channel}`, args[0]),
  on: (event, listener) => {
    let set = listeners.get(event);
    if (!set) {
      set = new Set();
      listeners.set(event, set);
      const f = deliver(event);
      forwarders.set(event, f);
      ipcRenderer.on(`${EVENT_PREFIX}${event}`, f);
      ipcRenderer.send(SUBSCRIBE_CHANNEL, event, true);
    }
    set.add(listener as Listener);
    return () => {
      const cur = listeners.get(event);
      if (!cur?.delete(listener as Listener) || cur.size) return;
      listeners.delete(event);
      const f = forwarders.get(event);
      if (f) ipcRenderer.removeListener(`${EVENT_PREFIX}${event}`, f);
      forwarders.delete(event);
      ipcRenderer.send(SUBSCRIBE_CHANNEL, event, false);
    };
  },
};

contextBridge.exposeInMainWorld('ems', api);
