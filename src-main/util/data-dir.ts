import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the database lives unless told otherwise: the platform's per-user data folder. */
export function defaultDataDir(): string {
  if (process.env.EMS_DATA_DIR) return process.env.EMS_DATA_DIR;
  const home = homedir();
  if (process.platform === 'win32')
    return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'ems-commissioner');
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'ems-commissioner');
  return join(process.env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'ems-commissioner');
}

export function defaultDbFile(): string {
  return process.env.EMS_DB ?? join(defaultDataDir(), 'ems.db');
}
