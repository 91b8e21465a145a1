import type { ConfigField } from '../../../../src-preload/contract/index.js';

/** Why a typed value cannot be written, in the technician's words; null when it can. */
export function fieldProblem(f: ConfigField, raw: string): string | null {
  if (raw.trim() === '') return 'enter a value';
  const v = Number(raw);
  if (!Number.isFinite(v)) return 'not a number';
  if (f.choices && !f.choices.some((c) => c.value === v)) return 'not one of the offered choices';
  if (f.min !== null && v < f.min) return `at least ${f.min}${f.unit ? ` ${f.unit}` : ''}`;
  if (f.max !== null && v > f.max) return `at most ${f.max}${f.unit ? ` ${f.unit}` : ''}`;
  if (f.step !== null && f.step > 0) {
    const steps = v / f.step;
    if (Math.abs(steps - Math.round(steps)) > 1e-6) return `in steps of ${f.step}`;
  }
  return null;
}

export function choiceLabel(f: ConfigField, v: number | null): string {
  if (v === null) return '—';
  return f.choices?.find((c) => c.value === v)?.label ?? String(v);
}
