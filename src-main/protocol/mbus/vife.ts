/** Combinable (orthogonal) VIFEs that refine a value after its VIF: EN 13757-3 "VIFE-codes for reports". */

export type Phase = 'L1' | 'L2' | 'L3' | 'N' | 'L1-L2' | 'L2-L3' | 'L3-L1';

export interface VifeEffects {
  /** Added to the VIF's decimal exponent (0x70–0x77, 0x7D). */
  exponentDelta: number;
  /** Additive correction 10^offsetExponent in the value's unit (0x78–0x7B). */
  offsetExponent?: number;
  /** "per hour", "per litre" … appended to the unit. */
  unitSuffix: string;
  /** Human-readable text of every VIFE, in order. */
  notes: string[];
  accumulation?: 'positive' | 'negative';
  phase?: Phase;
  /** Record error code (VIFE 0x00–0x1F in a reply); 0 = no error. */
  errorCode?: number;
  /** The value is a date/time ("start date of", "date of begin of first limit exceed" …). */
  timePoint?: boolean;
  /**
   * The VIFE turns the value into something else than the VIF's quantity — a duration (unit s/min/h/d)
   * or a count ('') — so the VIF's unit and exponent no longer apply.
   */
  replaceUnit?: string;
  /** VIFE 0x7F: the manufacturer changes the meaning in ways only its documentation tells. */
  manufacturerSpecific?: boolean;
}

const RECORD_ERRORS: Readonly<Record<number, string>> = {
  0x00: 'no error',
  0x01: 'too many DIFEs',
  0x02: 'storage number not implemented',
  0x03: 'unit number not implemented',
  0x04: 'tariff number not implemented',
  0x05: 'function not implemented',
  0x06: 'data class not implemented',
  0x07: 'data size not implemented',
  0x0b: 'too many VIFEs',
  0x0c: 'illegal VIF group',
  0x0d: 'illegal VIF exponent',
  0x0e: 'VIF/DIF mismatch',
  0x0f: 'unimplemented action',
  0x15: 'no data available',
  0x16: 'data overflow',
  0x17: 'data underflow',
  0x18: 'data error',
  0x1c: 'premature end of record',
};

export function recordErrorText(code: number): string {
  return RECORD_ERRORS[code] ?? `reserved error code 0x${code.toString(16).padStart(2, '0')}`;
}

const PER: readonly string[] = ['/s', '/min', '/h', '/d', '/week', '/month', '/year', '/revolution'];
const PER_UNIT: Readonly<Record<number, [string, string]>> = {
  0x28: ['', 'per input pulse on channel 0'],
  0x29: ['', 'per input pulse on channel 1'],
  0x2a: ['', 'per output pulse on channel 0'],
  0x2b: ['', 'per output pulse on channel 1'],
  0x2c: ['/l', 'per litre'],
  0x2d: ['/m3', 'per m3'],
  0x2e: ['/kg', 'per kg'],
  0x2f: ['/K', 'per K'],
  0x30: ['/kWh', 'per kWh'],
  0x31: ['/GJ', 'per GJ'],
  0x32: ['/kW', 'per kW'],
  0x33: ['/(K·l)', 'per K·l'],
  0x34: ['/V', 'per V'],
  0x35: ['/A', 'per A'],
  0x36: ['·s', 'multiplied by s'],
  0x37: ['·s/V', 'multiplied by s/V'],
  0x38: ['·s/A', 'multiplied by s/A'],
};

const PHASES: Readonly<Record<number, Phase>> = {
  1: 'L1',
  2: 'L2',
  3: 'L3',
  4: 'N',
  5: 'L1-L2',
  6: 'L2-L3',
  7: 'L3-L1',
};
const ORTHOGONAL_NOTES: Readonly<Record<number, string>> = {
  0x08: 'quadrant 1',
  0x09: 'quadrant 2',
  0x0a: 'quadrant 3',
  0x0b: 'quadrant 4',
  0x0c: 'delta between import and export',
  0x10: 'accumulation of absolute value of both positive and negative contributions',
};

const DURATION_UNITS = ['s', 'min', 'h', 'd'] as const;

/** Interprets the VIFEs that follow a VIF (or follow the true VIF of 0xFB/0xFD). */
export function combinableVifes(vifes: readonly number[]): VifeEffects {
  const fx: VifeEffects = { exponentDelta: 0, unitSuffix: '', notes: [] };
  let orthogonalNext = false;
  let manufacturer = false;
  for (const byte of vifes) {
    const c = byte & 0x7f;
    if (manufacturer) {
      fx.notes.push(`manufacturer-specific VIFE 0x${hex2(byte)}`);
      continue;
    }
    if (orthogonalNext) {
      orthogonalNext = false;
      const phase = PHASES[c];
      if (phase) {
        fx.phase = phase;
        fx.notes.push(
          phase === 'N' ? 'at neutral' : `at ${phase.includes('-') ? 'phases ' : 'phase '}${phase}`,
        );
      } else fx.notes.push(ORTHOGONAL_NOTES[c] ?? `reserved extended VIFE 0x${hex2(c)}`);
      continue;
    }
    if (c <= 0x1f) {
      fx.errorCode = c;
      fx.notes.push(`record error: ${recordErrorText(c)}`);
    } else if (c <= 0x27) {
      fx.unitSuffix += PER[c - 0x20] ?? '';
      fx.notes.push(`per ${(PER[c - 0x20] ?? '').slice(1)}`);
    } else if (PER_UNIT[c]) {
      const [suffix, note] = PER_UNIT[c];
      fx.unitSuffix += suffix;
      fx.notes.push(note);
    } else if (c === 0x39) {
      fx.timePoint = true;
      fx.notes.push('start date(/time) of');
    } else if (c === 0x3a) {
      fx.notes.push('uncorrected unit or value');
    } else if (c === 0x3b) {
      fx.accumulation = 'positive';
      fx.notes.push('accumulation of positive contributions only');
    } else if (c === 0x3c) {
      fx.accumulation = 'negative';
      fx.notes.push('accumulation of the absolute value of negative contributions only');
    } else if (c >= 0x40 && c <= 0x6f) {
      describeLimit(c, fx);
    } else if (c >= 0x70 && c <= 0x77) {
      fx.exponentDelta += (c & 7) - 6;
      fx.notes.push(`× 10^${(c & 7) - 6}`);
    } else if (c >= 0x78 && c <= 0x7b) {
      fx.offsetExponent = (c & 3) - 3;
      fx.notes.push(`+ 10^${(c & 3) - 3} (additive correction)`);
    } else if (c === 0x7c) {
      orthogonalNext = true;
    } else if (c === 0x7d) {
      fx.exponentDelta += 3;
      fx.notes.push('× 1000');
    } else if (c === 0x7e) {
      fx.notes.push('future value');
    } else if (c === 0x7f) {
      manufacturer = true;
      fx.manufacturerSpecific = true;
      fx.notes.push('manufacturer-specific VIFEs follow');
    } else {
      fx.notes.push(`reserved VIFE 0x${hex2(byte)}`);
    }
  }
  return fx;
}

/** E100 xxxx … E110 xxxx: limit values, their exceed counters, dates and durations. */
function describeLimit(c: number, fx: VifeEffects): void {
  const upper = (c & 0x08) !== 0 ? 'upper' : 'lower';
  if (c === 0x40 || c === 0x48) fx.notes.push(`${upper} limit value`);
  else if (c === 0x41 || c === 0x49) {
    fx.replaceUnit = '';
    fx.notes.push(`number of exceeds of ${upper} limit`);
  } else if (c <= 0x4f) {
    if ((c & 0x02) === 0) {
      fx.notes.push(`reserved VIFE 0x${hex2(c)}`);
      return;
    }
    fx.timePoint = true;
    fx.notes.push(`date of ${c & 1 ? 'end' : 'begin'} of ${c & 4 ? 'last' : 'first'} ${upper} limit exceed`);
  } else if (c <= 0x5f) {
    fx.replaceUnit = DURATION_UNITS[c & 3] ?? 's';
    fx.notes.push(`duration of ${c & 4 ? 'last' : 'first'} ${upper} limit exceed`);
  } else if (c <= 0x67) {
    fx.replaceUnit = DURATION_UNITS[c & 3] ?? 's';
    fx.notes.push(`duration of ${c & 4 ? 'last' : 'first'}`);
  } else if (c === 0x68 || c === 0x6c) {
    fx.notes.push(`value during ${c === 0x6c ? 'upper' : 'lower'} limit exceed`);
  } else if (c === 0x69) fx.notes.push('leakage values');
  else if (c === 0x6d) fx.notes.push('overflow values');
  else {
    fx.timePoint = true;
    fx.notes.push(`date of ${c & 1 ? 'end' : 'begin'} of ${c & 4 ? 'last' : 'first'}`);
  }
}

function hex2(b: number): string {
  return b.toString(16).padStart(2, '0').toUpperCase();
}
