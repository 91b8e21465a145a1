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

/** Scales a decoded register value into catalogue units; overflow markers become status 2. */
export function convert(sig: ModelSignal, raw: number | string): SignalReading {
  if (typeof raw === 'string') return { key: sig.key, value: raw, status: 1 };
  if (
    sig.invalidRaw?.includes(raw) ||
    !Number.isFinite(raw) ||
    (sig.invalidFrom !== undefined && raw >= sig.invalidFrom)
  )
    return { key: sig.key, value: null, status: 2 };
  // A float32 carries ~7 significant digits; more would print noise (228.899993896).
  const base = sig.type === 'float32' ? Number(raw.toPrecision(7)) : raw;
  const v = base * (sig.scale ?? 1);
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
    return planReads(sigs, {
      maxRegisters: this.model.maxRegistersPerRead,
      maxGap: this.noGaps ? 0 : undefined,
    });
  }

  get requestsPerCycle(): number {
    return this.blocks.length;
  }

  async read(signal?: AbortSignal): Promise<ReadResult> {
    const readings: SignalReading[] = [];
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
        for (const s of block.signals) readings.push(this.decode(s, regs, block.address));
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
              readings.push(this.decode(s, regs, s.register));
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
          const done = new Set(readings.map((r) => r.key));
          for (const b of this.blocks)
            for (const s of b.signals)
              if (!done.has(s.key)) readings.push({ key: s.key, value: null, status: 0 });
          break;
        }
      }
    }
    if (replan || newlyUnsupported.length) this.blocks = this.plan();
    return { readings, requests, unsupported: [...this.unsupported], errors };
  }

  private decode(s: ModelSignal, regs: readonly number[], base: number): SignalReading {
    const off = s.register - base;
    const n = registerCount(s.type, s.type === 'ascii' ? 8 : undefined);
    const words = regs.slice(off, off + n);
    const raw = decodeRegisters(words, s.type, s.wordOrder ?? this.model.wordOrder);
    return convert(s, raw);
  }
}
