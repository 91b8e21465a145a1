import type { RegistersRead } from '../../bus/modbus-bus.js';

/**
 * The registers polling last read from one unit, with their time: the gateway answers reads of
 * polled registers from here instead of asking the meter again.
 */
export class RegisterCache {
  private readonly regs = {
    3: new Map<number, { v: number; t: number }>(),
    4: new Map<number, { v: number; t: number }>(),
  };

  put(r: Pick<RegistersRead, 'fc' | 'address' | 'values' | 't'>): void {
    const m = this.regs[r.fc];
    r.values.forEach((v, i) => m.set(r.address + i, { v, t: r.t }));
  }

  /** The values of [address, address+count) if every one was read at or after `notBefore`. */
  get(fc: 3 | 4, address: number, count: number, notBefore: number): number[] | undefined {
    const m = this.regs[fc];
    const out: number[] = [];
    for (let a = address; a < address + count; a++) {
      const e = m.get(a);
      if (!e || e.t < notBefore) return undefined;
      out.push(e.v);
    }
    return out;
  }
}
