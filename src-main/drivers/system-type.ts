import type { SystemType } from '../../src-preload/contract/domain.js';
import type { ConfigRegister, DeviceModel } from '../devices/model-schema.js';

/** The config key under which the models keep the meter's wiring system. */
export const SYSTEM_TYPE_KEY = 'system_type';

/**
 * The wiring system a system-type choice stands for. The model files label every choice with the
 * system first ("3P.N 3-phase 4-wire", "1P3W split-phase"), so the label's first word decides.
 */
export function systemOfChoice(label: string): SystemType | undefined {
  const word = label.trim().split(/\s+/)[0]?.toUpperCase() ?? '';
  if (word === '3P.N' || word === '3P.1') return '3P.N';
  if (word === '3P') return '3P';
  if (word === '2P' || word === '1P3W') return '2P';
  if (word === '1P') return '1P';
  return undefined;
}

export function systemTypeRegister(model: DeviceModel): ConfigRegister | undefined {
  return model.config?.find((c) => c.key === SYSTEM_TYPE_KEY && c.choices);
}

/** The raw choice value a model uses for a wiring system (the first choice that means it). */
export function systemChoiceValue(model: DeviceModel, system: SystemType): number | undefined {
  return systemTypeRegister(model)?.choices?.find((c) => systemOfChoice(c.label) === system)?.value;
}

/** The wiring system a raw system-type value of this model means, if the model says. */
export function systemOfValue(model: DeviceModel, raw: number): SystemType | undefined {
  const choice = systemTypeRegister(model)?.choices?.find((c) => c.value === raw);
  return choice && systemOfChoice(choice.label);
}
