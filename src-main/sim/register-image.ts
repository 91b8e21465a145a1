import type { ConfigRegister, DeviceModel } from '../devices/model-schema.js';
import { decodeRegisters, encodeRegisters, registerCount } from '../protocol/modbus/codec.js';

export type RegisterSpace = Map<number, number>;

/** What a simulated meter does with a write: the model's config registers keep what was written. */
export interface WriteOutcome {
  ok: boolean;
  exception?: number;
}

/**
 * The register map of a model filled from quantities in catalogue units: id registers, signals
 * (unscaled and encoded with the model's type and word order) and the writable config registers.
 */
export class RegisterImage {
  readonly config = new Map<string, number>();
  /** While true every write is refused, like an EM24 whose front selector is in the locked position. */
  locked = false;

  constructor(
    readonly model: DeviceModel,
    readonly serialNumber = 'SIM0000001',
  ) {
    for (const c of model.config ?? []) this.config.set(c.key, defaultConfigValue(c));
  }

  build(values: Record<string, number>): { 3: RegisterSpace; 4: RegisterSpace } {
    const spaces = { 3: new Map<number, number>(), 4: new Map<number, number>() };
    const id = this.model.identification;
    if (id) {
      const first = id.match[0];
      const idValue = first?.values?.[0] ?? first?.range?.[0] ?? first?.text ?? 0;
      put(spaces[id.fc], id.register, encodeRegisters(idValue, id.type, this.model.wordOrder, id.words));
    }
    for (const info of this.model.info ?? []) {
      if (info.type === 'ascii')
        put(spaces[info.fc], info.register, encodeRegisters(this.serialNumber, 'ascii', 'msw', info.words));
      else if (info.name === 'serial_number')
        put(
          spaces[info.fc],
          info.register,
          encodeRegisters(
            Number(this.serialNumber.replace(/\D/g, '') || 1) % 2 ** 31,
            info.type,
            info.wordOrder ?? this.model.wordOrder,
          ),
        );
      else
        put(
          spaces[info.fc],
          info.register,
          encodeRegisters(1, info.type, info.wordOrder ?? this.model.wordOrder),
        );
    }
    for (const s of this.model.signals) {
      const v = values[s.key];
      if (v === undefined) {
        put(spaces[s.fc], s.register, new Array<number>(registerCount(s.type)).fill(0));
        continue;
      }
      const raw = v / (s.scale ?? 1);
      put(spaces[s.fc], s.register, encodeRegisters(raw, s.type, s.wordOrder ?? this.model.wordOrder));
    }
    for (const c of this.model.config ?? []) {
      const raw = this.config.get(c.key) ?? 0;
      put(spaces[c.fc], c.register, encodeRegisters(raw, c.type, c.wordOrder ?? this.model.wordOrder));
      if (c.fc === 4)
        put(spaces[3], c.register, encodeRegisters(raw, c.type, c.wordOrder ?? this.model.wordOrder));
    }
    return spaces;
  }

  /** A setting in its unit (raw × scale), undefined when the model has no such setting. */
  setting(key: string): number | undefined {
    const c = this.model.config?.find((x) => x.key === key);
    const raw = this.config.get(key);
    return c && raw !== undefined ? raw * (c.scale ?? 1) : undefined;
  }

  /** Applies a write of whole registers starting at `address`; refuses what the model does not define. */
  write(address: number, words: readonly number[]): WriteOutcome {
    if (this.locked) return { ok: false, exception: 1 };
    const end = address + words.length;
    const touched = (this.model.config ?? []).filter((c) => {
      const n = registerCount(c.type);
      return c.register < end && c.register + n > address;
    });
    if (!touched.length) return { ok: false, exception: 2 };
    const next = new Map<string, number>();
    for (const c of touched) {
      // Meters that only take FC06 receive a 2-word setting one word at a time: merge with what is held.
      const order = c.wordOrder ?? this.model.wordOrder;
      const held = encodeRegisters(this.config.get(c.key) ?? 0, c.type, order);
      const merged = held.map((w, i) => {
        const a = c.register + i;
        return a >= address && a < end ? (words[a - address] ?? w) : w;
      });
      const value = Number(decodeRegisters(merged, c.type, order));
      if (c.choices && !c.choices.some((ch) => ch.value === value)) return { ok: false, exception: 3 };
      if (
        (c.min !== undefined && value < c.min / (c.scale ?? 1)) ||
        (c.max !== undefined && value > c.max / (c.scale ?? 1))
      )
        return { ok: false, exception: 3 };
      next.set(c.key, value);
    }
    for (const [key, value] of next) this.config.set(key, value);
    return { ok: true };
  }
}

function defaultConfigValue(c: ConfigRegister): number {
  if (c.choices?.[0]) return c.choices[0].value;
  if (c.min !== undefined) return Math.round(c.min / (c.scale ?? 1));
  return 1;
}

function put(space: RegisterSpace, address: number, words: readonly number[]): void {
  words.forEach((w, i) => space.set(address + i, w));
}
