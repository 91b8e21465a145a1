import { quantityName, type Quantity } from './quantity.js';
import type { Vib } from './vib.js';
import { combinableVifes, type Phase } from './vife.js';
import { fbMeaning, fdMeaning, primaryMeaning, type ValueMeaning } from './vif-table.js';

/** Everything the value information block says about a record's value. */
export interface RecordMeaning {
  quantity: Quantity;
  /** Quantity text for people; the unit text itself for plain-text VIFs. */
  description: string;
  unit: string;
  /** Decimal exponent after VIFE corrections: value = raw × 10^exponent (+ 10^offsetExponent). */
  exponent: number;
  offsetExponent?: number;
  timePoint: boolean;
  identifier: boolean;
  /** Readable text of each combinable VIFE. */
  notes: string[];
  accumulation?: 'positive' | 'negative';
  phase?: Phase;
  errorCode?: number;
  /** A manufacturer-specific VIF or VIFE changes what the value means. */
  manufacturerSpecific?: boolean;
}

export function describeVib(vib: Vib): RecordMeaning {
  const code = vib.vif & 0x7f;
  let base: ValueMeaning;
  let rest: readonly number[] = vib.vife;
  let description: string | undefined;
  if (vib.vif === 0xfb || vib.vif === 0xfd) {
    const trueVif = (vib.vife[0] ?? 0) & 0x7f;
    base = vib.vif === 0xfb ? fbMeaning(trueVif) : fdMeaning(trueVif);
    rest = vib.vife.slice(1);
  } else if (code === 0x7c) {
    const text = vib.plainText ?? '';
    base = { quantity: 'plain_text', unit: text, exponent: 0 };
    description = text;
  } else {
    base = primaryMeaning(code);
  }
  if (code === 0x7f) {
    // After a manufacturer-specific VIF every VIFE is the manufacturer's too.
    return {
      quantity: base.quantity,
      description: quantityName(base.quantity),
      unit: '',
      exponent: 0,
      timePoint: false,
      identifier: false,
      manufacturerSpecific: true,
      notes: rest.map((b) => `manufacturer-specific VIFE 0x${b.toString(16).padStart(2, '0').toUpperCase()}`),
    };
  }
  const fx = combinableVifes(rest);
  const meaning: RecordMeaning = {
    quantity: base.quantity,
    description: description ?? quantityName(base.quantity),
    unit: fx.replaceUnit ?? base.unit + fx.unitSuffix,
    exponent: (fx.replaceUnit === undefined ? base.exponent : 0) + fx.exponentDelta,
    timePoint: (base.timePoint ?? false) || (fx.timePoint ?? false),
    identifier: base.identifier ?? false,
    notes: fx.notes,
  };
  if (fx.offsetExponent !== undefined) meaning.offsetExponent = fx.offsetExponent;
  if (fx.accumulation) meaning.accumulation = fx.accumulation;
  if (fx.phase) meaning.phase = fx.phase;
  if (fx.errorCode !== undefined) meaning.errorCode = fx.errorCode;
  if (fx.manufacturerSpecific) meaning.manufacturerSpecific = true;
  return meaning;
}
