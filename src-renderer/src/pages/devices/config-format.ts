import type { ConfigField, ConfigWriteResult } from '../../../../src-preload/contract/index.js';
import { formatNumber } from '../../components/format.js';
import { choiceLabel } from './config-validate.js';

/** A setting as the meter holds it: integers stay integers, a 0.1 step shows one decimal. */
export function shown(f: ConfigField, v: number | null): string {
  if (f.choices) return choiceLabel(f, v);
  if (v === null) return '—';
  const decimals =
    f.step !== null && f.step > 0 ? Math.max(0, Math.min(6, Math.ceil(-Math.log10(f.step) - 1e-9))) : null;
  const text = decimals === null ? formatNumber(v) : v.toFixed(decimals);
  return `${text}${f.unit ? ` ${f.unit}` : ''}`;
}

export const OUTCOME_TEXT: Record<ConfigWriteResult['outcome'], string> = {
  ok: 'written and confirmed',
  unverified: 'written; the meter cannot read it back',
  unchanged: 'already set: nothing written',
  mismatch: 'written, but the meter reads back something else',
  refused: 'refused by the meter',
  failed: 'not written',
  skipped: 'not written (an earlier step failed)',
};

export const GOOD_OUTCOMES: ReadonlySet<ConfigWriteResult['outcome']> = new Set([
  'ok',
  'unverified',
  'unchanged',
]);
