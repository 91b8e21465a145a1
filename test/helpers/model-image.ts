import type { DeviceModel } from '../../src-main/devices/model-schema.js';
import { encodeRegisters } from '../../src-main/protocol/modbus/codec.js';
import type { RegisterSpec } from './peers.js';

/**
 * Encodes known values (catalogue units) into a pymodbus register spec for one unit, the way the
 * meter would hold them: unscaled, with the model's type and word order, plus its id register.
 */
export function imageFor(model: DeviceModel, values: Record<string, number>): RegisterSpec[number] {
  const spec: { hr: Record<number, number[]>; ir: Record<number, number[]> } = { hr: {}, ir: {} };
  const put = (fc: 3 | 4, reg: number, words: number[]): void => {
    (fc === 3 ? spec.hr : spec.ir)[reg] = words;
  };
  const id = model.identification;
  const m = id?.match[0];
  if (id && m)
    put(
      id.fc,
      id.register,
      encodeRegisters(m.values?.[0] ?? m.range?.[0] ?? m.text ?? 0, id.type, model.wordOrder, id.words),
    );
  for (const s of model.signals) {
    const v = values[s.key];
    if (v === undefined) continue;
    put(s.fc, s.register, encodeRegisters(v / (s.scale ?? 1), s.type, s.wordOrder ?? model.wordOrder));
  }
  return spec;
}
