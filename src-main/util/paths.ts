import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder that holds `resources/`: found by walking up from this module, so it works from the
 * sources (tsx, vitest), from the electron-vite bundle in out/, and from a packaged app.
 */
export function resourcesDir(): string {
  const env = process.env.EMS_RESOURCES_DIR;
  if (env) return resolve(env);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'resources');
    if (existsSync(join(candidate, 'signals.json'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error('cannot find the resources/ folder (set EMS_RESOURCES_DIR)');
}
