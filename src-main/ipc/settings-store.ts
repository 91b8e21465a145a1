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

/** Settings saved from the UI; the process that starts the engine applies them (at its next start). */
export function readSavedSettings(meta: MetaRepo): SavedSettings {
  let api = DEFAULT_API;
  try {
    const raw = meta.get(API_KEY);
    const parsed = raw ? (JSON.parse(raw) as Partial<ApiSettings>) : {};
    if (typeof parsed.host === 'string' && typeof parsed.port === 'number')
      api = { host: parsed.host, port: parsed.port };
  } catch {
    // A damaged value falls back to the defaults instead of stopping the app from starting.
  }
  const days = Number(meta.get(RETENTION_KEY));
  return {
    api,
    rawRetentionDays: Number.isInteger(days) && days >= 1 ? days : DEFAULT_RETENTION_DAYS,
  };
}

export function saveSettings(meta: MetaRepo, patch: Partial<SavedSettings>): void {
  if (patch.api) meta.set(API_KEY, JSON.stringify({ host: patch.api.host, port: patch.api.port }));
  if (patch.rawRetentionDays !== undefined) meta.set(RETENTION_KEY, String(patch.rawRetentionDays));
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
export const isLoopback = (host: string): boolean => LOOPBACK.has(host);
