import { readSavedSettings, isLoopback } from '../ipc/settings-store.js';
import { startRuntime, type Runtime } from '../runtime.js';
import { Store } from '../store/store.js';
import { logger } from '../util/log.js';

const DAY_MS = 86_400_000;
const log = logger('desktop');

/**
 * The desktop app's runtime, with the settings saved from the UI: API address and raw-sample
 * retention. A port another program holds must not keep the window from opening: the API then
 * takes any free port and says so.
 */
export async function startDesktopRuntime(dbFile: string): Promise<Runtime> {
  const probe = new Store({ file: dbFile });
  let saved;
  try {
    saved = readSavedSettings(probe.meta, (reason) => log.warn({ reason }, 'saved setting not used'));
  } finally {
    probe.close();
  }
  const port = process.env.EMS_API_PORT ? Number(process.env.EMS_API_PORT) : saved.api.port;
  const base = {
    dbFile,
    rawRetentionMs: saved.rawRetentionDays * DAY_MS,
    demo: 'if-empty' as const,
  };
  const api = { host: saved.api.host, port, allowRemote: !isLoopback(saved.api.host) };
  try {
    return await startRuntime({ ...base, api });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    log.warn({ port }, 'API port in use; the API listens on a free port instead');
    return startRuntime({ ...base, api: { ...api, port: 0 } });
  }
}
