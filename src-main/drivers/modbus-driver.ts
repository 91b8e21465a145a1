import type { ModbusBus } from '../bus/modbus-bus.js';
import { ModbusError } from '../bus/errors.js';
import type { DeviceModel, ModelSignal } from '../devices/model-schema.js';
import { decodeRegisters, registerCount } from '../protocol/modbus/codec.js';
import { planReads, type ReadBlock } from './read-plan.js';

export interface SignalReading {
  key: string;
  value: number | string | null;
  /** 1 valid, 2 out of range (meter's overflow marker), 0 not read. */
  status: 0 | 1 | 2;
}

export interface ReadResult {
  readings: SignalReading[];
  requests: number;
  /** Keys the meter refused with exception 2 (this variant lacks them); skipped from now on. */
  unsupported: string[];
  errors: ModbusError[];
}

/**
 * Scales a decoded register value into catalogue units; overflow markers become status 2. `exponent`
 * is the value of the signal's scale register (undefined when it has none; null when that register
 * held no value, which leaves the signal without one too).
 */
export function convert(sig: ModelSignal, raw: number | string, exponent?: number | null): SignalReading {
  if (typeof raw === 'string') return { key: sig.key, value: raw, status: 1 };
  if (
    sig.invalidRaw?.includes(raw) ||
    !Number.isFinite(raw) ||
    (sig.invalidFrom !== undefined && raw >= sig.invalidFrom) ||
    exponent === null
  )
    return { key: sig.key, value: null, status: 2 };
  // A float32 carries ~7 significant digits; more would print noise (228.899993896).
  const base = sig.type === 'float32' ? Number(raw.toPrecision(7)) : raw;
  const v = base * (sig.scale ?? 1) * 10 ** (exponent ?? 0);
  // Round away float noise from scaling (0.1 × 2301 = 230.10000000000002); + 0 turns -0 into 0.
  return { key: sig.key, value: Number(v.toPrecision(12)) + 0, status: 1 };
}

/** Executes a model definition against one unit on a bus: the generic Modbus meter driver. */
export class ModbusDriver {
  private blocks: ReadBlock[];
  private readonly unsupported = new Set<string>();
  /** Set once a meter refused a read spanning a gap: from then on only contiguous registers are read together. */
  private noGaps = false;

  constructor(
    readonly bus: ModbusBus,
    readonly model: DeviceModel,
    readonly unit: number,
    readonly signalKeys?: readonly string[],
  ) {
    this.blocks = this.plan();
  }

  private plan(): ReadBlock[] {
    const wanted = this.signalKeys ? new Set(this.signalKeys) : undefined;
    const sigs = this.model.signals.filter(
      (s) => (!wanted || wanted.has(s.key)) && !this.unsupported.has(s.key),
    );
    // Scale-factor registers are read in the same requests as the values they scale.
    const scales = new Map<string, ModelSignal>();
    for (const s of sigs)
      if (s.scaleRegister !== undefined) {
        const key = scaleKey(s.fc, s.scaleRegister);
        if (!scales.has(key))
          scales.set(key, { key, register: s.scaleRegister, fc: s.fc, type: 'int16', unit: '', source: '' });
      }
    return planReads([...sigs, ...scales.values()], {
      maxRegisters: this.model.maxRegistersPerRead,
      maxGap: this.noGaps ? 0 : undefined,
    });
  }

  get requestsPerCycle(): number {
    return this.blocks.length;
  }

  async read(signal?: AbortSignal): Promise<ReadResult> {
    const readings: SignalReading[] = [];
    const decoded: { s: ModelSignal; raw: number | string }[] = [];
    const exponents = new Map<string, number | null>();
    const take = (s: ModelSignal, regs: readonly number[], base: number): void => {
      const raw = this.decode(s, regs, base);
      if (s.key.startsWith(SCALE_PREFIX)) exponents.set(s.key, raw === -0x8000 ? null : Number(raw));
      else decoded.push({ s, raw });
    };
    const errors: ModbusError[] = [];
    const newlyUnsupported: string[] = [];
    let requests = 0;
    let replan = false;
    for (const block of this.blocks) {
      try {
        requests++;
        const regs = await this.bus.readRegisters(this.unit, block.fc, block.address, block.count, {
          signal,
        });
        for (const s of block.signals) take(s, regs, block.address);
      } catch (e) {
        if (!(e instanceof ModbusError)) throw e;
        if (e.kind === 'exception' && e.exceptionCode === 2) {
          // Find which registers this variant lacks instead of failing the whole block.
          replan = true;
          this.noGaps = true;
          for (const s of block.signals) {
            try {
              requests++;
              const n = registerCount(s.type, s.type === 'ascii' ? 8 : undefined);
              const regs = await this.bus.readRegisters(this.unit, s.fc, s.register, n, { signal });
              take(s, regs, s.register);
            } catch (e2) {
              if (e2 instanceof ModbusError && e2.kind === 'exception' && e2.exceptionCode === 2) {
                this.unsupported.add(s.key);
                newlyUnsupported.push(s.key);
              } else if (e2 instanceof ModbusError) {
                errors.push(e2);
                readings.push({ key: s.key, value: null, status: 0 });
              } else throw e2;
            }
          }
          continue;
        }
        errors.push(e);
        for (const s of block.signals) readings.push({ key: s.key, value: null, status: 0 });
        // A unit that does not answer will not answer the next block either: save the bus the time.
        if (
          e.kind === 'timeout' ||
          e.kind === 'disconnected' ||
          e.kind === 'cancelled' ||
          e.kind === 'closed'
        ) {
          const done = new Set([...readings.map((r) => r.key), ...decoded.map((d) => d.s.key)]);
          for (const b of this.blocks)
            for (const s of b.signals)
              if (!done.has(s.key)) readings.push({ key: s.key, value: null, status: 0 });
          break;
        }
      }
    }
    for (const { s, raw } of decoded) {
      const exponent =
        s.scaleRegister === undefined ? undefined : (exponents.get(scaleKey(s.fc, s.scaleRegister)) ?? null);
      readings.push(convert(s, raw, exponent));
    }
    if (replan || newlyUnsupported.length) this.blocks = this.plan();
    return {
      readings: readings.filter((r) => !r.key.startsWith(SCALE_PREFIX)),
      requests,
      unsupported: [...this.unsupported].filter((k) => !k.startsWith(SCALE_PREFIX)),
      errors,
    };
  }

  private decode(s: ModelSignal, regs: readonly number[], base: number): number | string {
    const off = s.register - base;
    const n = registerCount(s.type, s.type === 'ascii' ? 8 : undefined);
    const words = regs.slice(off, off + n);
    return decodeRegisters(words, s.type, s.wordOrder ?? this.model.wordOrder);
  }
}

/** Scale registers ride along in the read plan under keys no catalogue signal can have. */
const SCALE_PREFIX = '@scale:';
const scaleKey = (fc: number, register: number): string => `${SCALE_PREFIX}${fc}:${register}`;
