import type { DeviceStatus } from '../../../src-preload/contract/index.js';
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
  if (!enabled) return 'disabled';
  if (!s) return 'not polled';
  return s.state;
}

/** Sample status: 1 valid, 0 stale, 2 out of range. */
export function sampleTone(s: number | undefined, ageMs: number, pollMs: number): Tone {
  if (s === undefined) return 'idle';
  if (s === 0) return 'warn';
  if (s === 2) return 'err';
  return ageMs > Math.max(5000, pollMs * 5) ? 'warn' : 'ok';
}

export function sampleText(s: number | undefined): string {
  return s === undefined ? 'no value' : s === 1 ? 'valid' : s === 0 ? 'stale' : 'out of range';
}
