import type { SettingsView } from '../../src-preload/contract/index.js';
import type { HostContext } from './context.js';
import type { Handlers } from './dispatch.js';
import { isLoopback, readSavedSettings, saveSettings } from './settings-store.js';
import { tokensAvailable } from './tokens.js';

const DAY_MS = 86_400_000;

export function settingsHandlers(
  ctx: HostContext,
): Pick<Handlers, 'settings.get' | 'settings.update' | 'settings.demo'> {
  const { engine } = ctx;
  const view = (): SettingsView => {
    const saved = readSavedSettings(engine.store.meta);
    const demoDevices = JSON.parse(engine.store.meta.get('demo_devices') || '{}') as Record<string, number>;
    return {
      apiUrl: ctx.apiUrl(),
      api: saved.api,
      apiLoopback: isLoopback(saved.api.host),
      dbFile: engine.config.dbFile,
      rawRetentionDays: saved.rawRetentionDays,
      rawRetentionDaysActive: Math.round(engine.store.rawRetentionMs / DAY_MS),
      demo: {
        running: ctx.demo.running(),
        devices: Object.values(demoDevices).filter((uid) => engine.store.config.device(uid)).length,
      },
      tokensAvailable: tokensAvailable(engine),
    };
  };
  return {
    'settings.get': view,
    'settings.update': (patch) => {
      saveSettings(engine.store.meta, patch);
      return view();
    },
    'settings.demo': async ({ on }) => {
      await ctx.demo.set(on);
      ctx.events.emit('config.changed', { reason: on ? 'demo plant started' : 'demo plant stopped' });
      return view();
    },
  };
}
