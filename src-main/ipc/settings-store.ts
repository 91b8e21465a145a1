import type { ApiSettings } from '../../src-preload/contract/index.js';
import type { MetaRepo } from '../store/meta-repo.js';

const API_KEY = 'settings.api';
const RETENTION_KEY = 'settings.raw_retention_days';

export const DEFAULT_API: ApiSettings = { host: '127.0.0.1', port: 8080 };
export const DEFAULT_RETENTION_DAYS = 7;

export interface SavedSettings {
  api: ApiSettings;
  rawRetentionDays: number;
}

/**
 * Settings saved from the UI; the process that starts the engine applies them (at its next start).
 * A damaged value falls back to its default instead of stopping the app from starting; `warn` hears
 * which one and why (the desktop app and `serve` log it).
 */
export function readSavedSettings(meta: MetaRepo, warn?: (message: string) => void): SavedSettings {
  let api = DEFAULT_API;
  const raw = meta.get(API_KEY);
  if (raw !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    const p = (parsed ?? {}) as Partial<ApiSettings>;
    if (
      typeof p.host === 'string' &&
      p.host !== '' &&
      typeof p.port === 'number' &&
      Number.isInteger(p.port) &&
      p.port >= 0 &&
      p.port <= 65535
    )
      api = { host: p.host, port: p.port };
    else warn?.(`saved API address is damaged; using ${DEFAULT_API.host}:${DEFAULT_API.port}`);
  }
  const rawDays = meta.get(RETENTION_KEY);
  const days = Number(rawDays);
  const daysOk = Number.isInteger(days) && days >= 1;
  if (rawDays !== undefined && !daysOk)
    warn?.(`saved raw-sample retention is damaged; using ${DEFAULT_RETENTION_DAYS} days`);
  return { api, rawRetentionDays: daysOk ? days : DEFAULT_RETENTION_DAYS };
}

export function saveSettings(meta: MetaRepo, patch: Partial<SavedSettings>): void {
  if (patch.api) meta.set(API_KEY, JSON.stringify({ host: patch.api.host, port: patch.api.port }));
  if (patch.rawRetentionDays !== undefined) meta.set(RETENTION_KEY, String(patch.rawRetentionDays));
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
export const isLoopback = (host: string): boolean => LOOPBACK.has(host);
