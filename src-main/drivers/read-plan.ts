import type { ModelSignal, ReadFunction } from '../devices/model-schema.js';
import { registerCount } from '../protocol/modbus/codec.js';

export interface ReadBlock {
  fc: ReadFunction;
  address: number;
  count: number;
  signals: ModelSignal[];
}

export interface PlanOptions {
  maxRegisters: number;
  /** Unused registers we accept reading to save a request; a block that fails with exception 2 is split. */
  maxGap?: number;
}

/** Groups signals into the fewest read requests: per function code, sorted, coalescing near neighbours. */
export function planReads(signals: readonly ModelSignal[], o: PlanOptions): ReadBlock[] {
  const maxGap = o.maxGap ?? 8;
  const max = Math.min(125, o.maxRegisters);
  const blocks: ReadBlock[] = [];
  for (const fc of [3, 4] as const) {
    const sorted = signals.filter((s) => s.fc === fc).sort((a, b) => a.register - b.register);
    let cur: ReadBlock | undefined;
    for (const s of sorted) {
      const n = registerCount(s.type, s.type === 'ascii' ? 8 : undefined);
      const end = s.register + n;
      if (s.readAlone) {
        // Some registers must be read one per request (EM24 0x0300); they never join a block.
        blocks.push({ fc, address: s.register, count: n, signals: [s] });
        cur = undefined;
        continue;
      }
      if (cur) {
        const curEnd = cur.address + cur.count;
        const gap = s.register - curEnd;
        const newCount = Math.max(curEnd, end) - cur.address;
        if (gap <= maxGap && newCount <= max) {
          cur.count = newCount;
          cur.signals.push(s);
          continue;
        }
      }
      cur = { fc, address: s.register, count: n, signals: [s] };
      blocks.push(cur);
    }
  }
  return blocks;
}
