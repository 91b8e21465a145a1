import type { ConfigField } from '../../src-preload/contract/views.js';
import type { ConfigRegister, DeviceModel, WordOrder } from '../devices/model-schema.js';
import { decodeRegisters, encodeRegisters, registerCount } from '../protocol/modbus/codec.js';

/** One writable meter setting as the UI form and the CLI see it; built from the model, never hand-written. */
export type ConfigDescriptor = Omit<ConfigField, 'value' | 'readError'>;

const LINK_KEYS = new Set(['modbus_address', 'baud_rate', 'parity', 'parity_stop', 'stop_bits']);
const AUTH_KEYS = new Set(['password', 'kppa']);

/** Settings that change how the meter is reached: after writing one the old address or speed may be gone. */
export const isLinkSetting = (key: string): boolean => LINK_KEYS.has(key);

const isFloat = (c: ConfigRegister): boolean => c.type === 'float32' || c.type === 'float64';

export function describeConfig(c: ConfigRegister): ConfigDescriptor {
  return {
    key: c.key,
    label: c.label,
    kind: c.writeOnly ? 'command' : c.choices ? 'choice' : 'number',
    unit: c.unit ?? null,
    choices: c.choices ? c.choices.map((ch) => ({ ...ch })) : null,
    min: c.min ?? null,
    max: c.max ?? null,
    step: isFloat(c) ? null : (c.scale ?? 1),
    note: c.note ?? null,
    uncertain: c.uncertain ?? null,
  };
}

export function configDescriptors(model: DeviceModel): ConfigDescriptor[] {
  return (model.config ?? []).map(describeConfig);
}

/**
 * The order a job writes in: authorisation first (Eastron wants the password before any setting),
 * then ordinary settings in the model's order, then commands, and the link settings last, because
 * after them the meter may no longer answer at the address and speed used for the rest.
 */
export function writeOrder(regs: readonly ConfigRegister[], model: DeviceModel): ConfigRegister[] {
  const index = new Map((model.config ?? []).map((c, i) => [c.key, i]));
  const rank = (c: ConfigRegister): number =>
    AUTH_KEYS.has(c.key) ? 0 : isLinkSetting(c.key) ? 3 : c.writeOnly ? 2 : 1;
  return [...regs].sort((a, b) => rank(a) - rank(b) || (index.get(a.key) ?? 0) - (index.get(b.key) ?? 0));
}

export function wordOrderOf(c: ConfigRegister, model: DeviceModel): WordOrder {
  return c.wordOrder ?? model.wordOrder;
}

/** A setting in its unit → the raw register words. Callers validate first (see validateValues). */
export function encodeSetting(c: ConfigRegister, model: DeviceModel, value: number): number[] {
  const raw = isFloat(c) ? value / (c.scale ?? 1) : Math.round(value / (c.scale ?? 1));
  return encodeRegisters(raw, c.type, wordOrderOf(c, model));
}

/** Raw register words → the setting in its unit (scaled, float noise removed). */
export function decodeSetting(c: ConfigRegister, model: DeviceModel, words: readonly number[]): number {
  const raw = decodeRegisters(words.slice(0, registerCount(c.type)), c.type, wordOrderOf(c, model));
  const v = typeof raw === 'number' ? raw : Number(raw);
  const base = c.type === 'float32' ? Number(v.toPrecision(7)) : v;
  return Number((base * (c.scale ?? 1)).toPrecision(12)) + 0;
}

/** What the meter will hold when sent `value`: the value after its register's rounding. */
export function representable(c: ConfigRegister, model: DeviceModel, value: number): number {
  return decodeSetting(c, model, encodeSetting(c, model, value));
}

export function choiceLabel(c: ConfigRegister, value: number | null): string | undefined {
  return value === null ? undefined : c.choices?.find((ch) => ch.value === value)?.label;
}
