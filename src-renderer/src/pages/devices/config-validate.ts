import type { ConfigField } from '../../../../src-preload/contract/index.js';
import { formatNumber } from '../../components/format.js';
import { i18n } from '../../i18n/index.js';

const withUnit = (f: ConfigField, v: number): string => `${formatNumber(v)}${f.unit ? ` ${f.unit}` : ''}`;

/** Why a typed value cannot be written, in the technician's words; null when it can. */
export function fieldProblem(f: ConfigField, raw: string): string | null {
  if (raw.trim() === '') return i18n.t('devices.problem.empty');
  const v = Number(raw);
  if (!Number.isFinite(v)) return i18n.t('devices.problem.notNumber');
  if (f.choices && !f.choices.some((c) => c.value === v)) return i18n.t('devices.problem.notChoice');
  if (f.min !== null && v < f.min) return i18n.t('devices.problem.atLeast', { min: withUnit(f, f.min) });
  if (f.max !== null && v > f.max) return i18n.t('devices.problem.atMost', { max: withUnit(f, f.max) });
  if (f.step !== null && f.step > 0) {
    const steps = v / f.step;
    if (Math.abs(steps - Math.round(steps)) > 1e-6)
      return i18n.t('devices.problem.step', { step: formatNumber(f.step) });
  }
  return null;
}

export function choiceLabel(f: ConfigField, v: number | null): string {
  if (v === null) return '—';
  return f.choices?.find((c) => c.value === v)?.label ?? String(v);
}
