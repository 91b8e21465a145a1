import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_PREFIX, INVOKE_PREFIX, type EmsApi } from './contract/index.js';

/** The preload's whole surface: the typed contract over IPC; nothing else of Node or Electron leaks. */
const api: EmsApi = {
  invoke: (channel, arg) => ipcRenderer.invoke(`${INVOKE_PREFIX}${channel}`, arg),
  on: (event, listener) => {
    const wrapped = (_e: IpcRendererEvent, payload: unknown): void => listener(payload as never);
    ipcRenderer.on(`${EVENT_PREFIX}${event}`, wrapped);
    return () => {
      ipcRenderer.removeListener(`${EVENT_PREFIX}${event}`, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('ems', api);
