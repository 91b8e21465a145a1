import type { DeviceStatus } from '../../../src-preload/contract/index.js';
import { i18n } from '../i18n/index.js';
import type { Tone } from './ui.js';

export function deviceTone(s: DeviceStatus | undefined, enabled: boolean): Tone {
  if (!enabled) return 'idle';
  if (!s) return 'idle';
  if (s.state === 'online') return 'ok';
  if (s.state === 'stale') return 'warn';
  if (s.state === 'error') return 'err';
  return 'idle';
}

export function deviceStateText(s: DeviceStatus | undefined, enabled: boolean): string {
  if (!enabled) return i18n.t('common.state.disabled');
  if (!s) return i18n.t('common.state.notPolled');
  switch (s.state) {
    case 'online':
      return i18n.t('common.state.online');
    case 'stale':
      return i18n.t('common.state.stale');
    case 'error':
      return i18n.t('common.state.error');
    case 'disabled':
      return i18n.t('common.state.disabled');
  }
}

/** Sample status: 1 valid, 0 stale, 2 out of range. */
export function sampleTone(s: number | undefined, ageMs: number, pollMs: number): Tone {
  if (s === undefined) return 'idle';
  if (s === 0) return 'warn';
  if (s === 2) return 'err';
  return ageMs > Math.max(5000, pollMs * 5) ? 'warn' : 'ok';
}

export function sampleText(s: number | undefined): string {
  if (s === undefined) return i18n.t('common.sample.none');
  if (s === 1) return i18n.t('common.sample.valid');
  if (s === 0) return i18n.t('common.sample.stale');
  return i18n.t('common.sample.outOfRange');
}
