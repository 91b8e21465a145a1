/**
 * Before `npm run dist` starts electron-builder: can it get what it downloads? The builder fetches the
 * Electron release for the target platform (unless @electron/get has it cached) and its own tools
 * (NSIS, AppImage, fpm …) from electron-builder-binaries. Without them it fails minutes later in a
 * wall of stack traces; this check says why in one line instead.
 */
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const ELECTRON_RELEASES = 'https://github.com/electron/electron/releases/download/';
const BUILDER_BINARIES = 'https://github.com/electron-userland/electron-builder-binaries/releases/download/';

/** Where @electron/get keeps downloaded releases (ELECTRON_CACHE overrides, as there). */
export function electronCacheDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: string = process.platform,
): string {
  if (env.ELECTRON_CACHE) return env.ELECTRON_CACHE;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'electron');
  if (platform === 'win32')
    return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'electron', 'Cache');
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'electron');
}

/** The zip is kept either at the top of the cache or in a folder named for its download URL. */
export function isCached(dir: string, file: string): boolean {
  if (!existsSync(dir)) return false;
  if (existsSync(join(dir, file))) return true;
  return readdirSync(dir, { withFileTypes: true }).some(
    (d) => d.isDirectory() && existsSync(join(dir, d.name, file)),
  );
}

/** Any HTTP answer means the host is there; a refused connection, DNS failure or timeout does not. */
async function reachable(url: string, timeoutMs: number): Promise<string | undefined> {
  try {
    await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    return undefined;
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    return err.cause?.code ?? err.cause?.message ?? err.message;
  }
}

export interface PreflightInput {
  electronVersion: string;
  platform: string;
  arch: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Undefined when the builder can get its downloads; otherwise the one-line reason. */
export async function distPreflight(o: PreflightInput): Promise<string | undefined> {
  const env = o.env ?? process.env;
  const timeoutMs = o.timeoutMs ?? 8000;
  const zip = `electron-v${o.electronVersion}-${o.platform}-${o.arch}.zip`;
  if (!isCached(electronCacheDir(env, o.platform), zip)) {
    const base = env.ELECTRON_MIRROR ?? ELECTRON_RELEASES;
    const url = `${base}${env.ELECTRON_CUSTOM_DIR ?? `v${o.electronVersion}`}/${zip}`;
    const why = await reachable(url, timeoutMs);
    if (why)
      return `Electron ${o.electronVersion} (${zip}) is not cached and ${url} cannot be reached (${why})`;
  }
  const tools = env.ELECTRON_BUILDER_BINARIES_MIRROR ?? BUILDER_BINARIES;
  const why = await reachable(tools, timeoutMs);
  if (why) return `electron-builder's tools cannot be downloaded from ${tools} (${why})`;
  return undefined;
}
