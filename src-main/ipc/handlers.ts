import type { EngineInfo, InvokeChannel, InvokeMap, Result } from '../../src-preload/contract/index.js';
import type { Runtime } from '../runtime.js';

export type Handler<K extends InvokeChannel> = (
  arg: InvokeMap[K]['req'],
) => Promise<InvokeMap[K]['res']> | InvokeMap[K]['res'];
export type Handlers = { [K in InvokeChannel]: Handler<K> };

/** The engine side of the contract; the Electron IPC wrapper and the browser bridge both call these. */
export function createHandlers(rt: Runtime, host: EngineInfo['host'], version: string): Handlers {
  const { engine } = rt;
  return {
    'engine.info': () => ({
      version,
      host,
      dbFile: engine.config.dbFile,
      apiUrl: rt.url ?? null,
      demo: rt.demo !== undefined,
    }),
    'config.tree': (arg) => {
      const protocol = arg && typeof arg === 'object' ? arg.protocol : undefined;
      return engine.store.config.tree().filter((d) => !protocol || d.protocol === protocol);
    },
    'realtime.get': (arg) =>
      engine.store.samples.realtime(arg && typeof arg === 'object' ? arg.uids : undefined),
  };
}

/** Runs a handler and wraps the outcome; a thrown error becomes {ok:false} with its message. */
export async function dispatch<K extends InvokeChannel>(
  handlers: Handlers,
  channel: K,
  arg: InvokeMap[K]['req'],
): Promise<Result<InvokeMap[K]['res']>> {
  const h = handlers[channel] as Handler<K> | undefined;
  if (!h) return { ok: false, code: 'unknown_channel', message: `no handler for ${String(channel)}` };
  try {
    return { ok: true, data: await h(arg) };
  } catch (e) {
    return { ok: false, code: 'failed', message: (e as Error).message };
  }
}
