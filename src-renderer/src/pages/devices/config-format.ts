import type { ConfigField, ConfigWriteResult } from '../../../../src-preload/contract/index.js';
import { formatFixed, formatNumber } from '../../components/format.js';
import { choiceLabel } from './config-validate.js';

/** A setting as the meter holds it: integers stay integers, a 0.1 step shows one decimal. */
export function shown(f: ConfigField, v: number | null): string {
  if (f.choices) return choiceLabel(f, v);
  if (v === null) return '—';
  const decimals =
    f.step !== null && f.step > 0 ? Math.max(0, Math.min(6, Math.ceil(-Math.log10(f.step) - 1e-9))) : null;
  const text = decimals === null ? formatNumber(v) : formatFixed(v, decimals);
  return `${text}${f.unit ? ` ${f.unit}` : ''}`;
}

/** Locale keys of what a write did to one setting. */
export const OUTCOME_KEY = {
  ok: 'devices.outcome.ok',
  unverified: 'devices.outcome.unverified',
  unchanged: 'devices.outcome.unchanged',
  mismatch: 'devices.outcome.mismatch',
  refused: 'devices.outcome.refused',
  failed: 'devices.outcome.failed',
  skipped: 'devices.outcome.skipped',
  unknown: 'devices.outcome.unknown',
} as const satisfies Record<ConfigWriteResult['outcome'], string>;

export const GOOD_OUTCOMES: ReadonlySet<ConfigWriteResult['outcome']> = new Set([
  'ok',
  'unverified',
  'unchanged',
]);
