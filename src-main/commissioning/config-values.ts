import type { ConfigRegister, DeviceModel } from '../devices/model-schema.js';
import { isLinkSetting, representable } from './config-fields.js';

export interface ValueProblem {
  key: string;
  message: string;
}

/** Bad values for a write job: every problem at once, and nothing was written. */
export class ConfigValueError extends Error {
  constructor(
    readonly model: string,
    readonly problems: readonly ValueProblem[],
  ) {
    super(`nothing written to the ${model}: ${problems.map((p) => `${p.key}: ${p.message}`).join('; ')}`);
    this.name = 'ConfigValueError';
  }
}

const RAW_RANGE: Partial<Record<ConfigRegister['type'], [number, number]>> = {
  int16: [-0x8000, 0x7fff],
  uint16: [0, 0xffff],
  int32: [-0x80000000, 0x7fffffff],
  uint32: [0, 0xffffffff],
};

function problemOf(c: ConfigRegister, model: DeviceModel, value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return `"${String(value)}" is not a number`;
  if (c.choices && !c.choices.some((ch) => ch.value === value))
    return `${value} is not one of ${c.choices.map((ch) => `${ch.value} (${ch.label})`).join(', ')}`;
  if (c.min !== undefined && value < c.min)
    return `${value} is below the minimum ${c.min}${c.unit ? ` ${c.unit}` : ''}`;
  if (c.max !== undefined && value > c.max)
    return `${value} is above the maximum ${c.max}${c.unit ? ` ${c.unit}` : ''}`;
  const range = RAW_RANGE[c.type];
  if (range) {
    const raw = value / (c.scale ?? 1);
    if (Math.abs(raw - Math.round(raw)) > 1e-6) return `${value} is not a multiple of ${c.scale ?? 1}`;
    if (Math.round(raw) < range[0] || Math.round(raw) > range[1])
      return `${value} does not fit the ${c.type} register`;
  }
  if (c.type === 'float32' && Math.abs(representable(c, model, value) - value) > Math.abs(value) * 1e-6)
    return `${value} cannot be held exactly by the float register`;
  return undefined;
}

/**
 * Checks every requested value against the model before anything is sent: known key, a number, one
 * of the choices, within min/max, a multiple of the register's step and within its type.
 */
export function validateValues(
  model: DeviceModel,
  values: Readonly<Record<string, unknown>>,
): { reg: ConfigRegister; value: number }[] {
  const problems: ValueProblem[] = [];
  const out: { reg: ConfigRegister; value: number }[] = [];
  const entries = Object.entries(values);
  if (!entries.length) problems.push({ key: '(none)', message: 'no setting given' });
  for (const [key, value] of entries) {
    const reg = model.config?.find((c) => c.key === key);
    if (!reg) {
      const known = (model.config ?? []).map((c) => c.key).join(', ') || 'none';
      problems.push({ key, message: `the ${model.name} has no such setting (settings: ${known})` });
      continue;
    }
    const problem = problemOf(reg, model, value);
    if (problem) problems.push({ key, message: problem });
    else out.push({ reg, value: value as number });
  }
  const links = out.filter((v) => isLinkSetting(v.reg.key)).map((v) => v.reg.key);
  if (links.length > 1)
    problems.push({
      key: links.join('+'),
      message:
        'write one address/serial setting per job: after the first the meter may answer at another address or speed',
    });
  if (problems.length) throw new ConfigValueError(model.name, problems);
  return out;
}

/**
 * "key=value" from the command line: a number, or a choice by its label or the label's first word
 * ("measuring_mode=B", "system_type=3P.N").
 */
export function parseAssignment(model: DeviceModel, text: string): [string, number] {
  const m = /^([a-z0-9_]+)=(.+)$/i.exec(text.trim());
  if (!m) throw new ConfigValueError(model.name, [{ key: text, message: 'expected key=value' }]);
  const key = m[1]!;
  const given = m[2]!.trim();
  if (/^-?\d+(\.\d+)?$/.test(given)) return [key, Number(given)];
  const reg = model.config?.find((c) => c.key === key);
  const wanted = given.toLowerCase();
  const hits = (reg?.choices ?? []).filter(
    (ch) => ch.label.toLowerCase() === wanted || ch.label.split(/\s+/)[0]?.toLowerCase() === wanted,
  );
  if (hits.length === 1) return [key, hits[0]!.value];
  const message = !reg
    ? `the ${model.name} has no such setting`
    : hits.length > 1
      ? `"${given}" matches several choices; give the number`
      : `"${given}" is neither a number nor a choice (${(reg.choices ?? []).map((c) => `${c.value} ${c.label}`).join(', ') || 'no choices'})`;
  throw new ConfigValueError(model.name, [{ key, message }]);
}
