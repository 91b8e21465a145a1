import { ModbusError } from '../bus/errors.js';
import type { ModbusBus } from '../bus/modbus-bus.js';

export interface ProbeRead {
  /** Register values from `start`, null where the device refused or did not answer. */
  words: (number | null)[];
  requests: number;
  /** Exception codes and errors seen, for the report. */
  refusals: { address: number; count: number; reason: string }[];
}

const CHUNK = 100;

/**
 * Reads `count` registers from `start` in requests of up to 100; a block the device refuses
 * (an exception, e.g. a gap in its map) is split in halves down to single registers, so everything it
 * does hold is read. Silence (a timeout) marks the block unread without splitting: a unit that does not
 * answer would only cost more timeouts.
 */
export async function probeRange(
  bus: ModbusBus,
  unit: number,
  fc: 3 | 4,
  start: number,
  count: number,
  o: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<ProbeRead> {
  const words: (number | null)[] = new Array<number | null>(count).fill(null);
  const refusals: ProbeRead['refusals'] = [];
  let requests = 0;
  const readBlock = async (address: number, n: number): Promise<void> => {
    requests++;
    try {
      const regs = await bus.readRegisters(unit, fc, address, n, {
        signal: o.signal,
        timeoutMs: o.timeoutMs,
        retries: 0,
      });
      regs.forEach((w, i) => (words[address - start + i] = w));
    } catch (e) {
      if (!(e instanceof ModbusError) || e.kind === 'cancelled' || e.kind === 'closed') throw e;
      if (e.kind === 'exception' && n > 1) {
        const half = Math.ceil(n / 2);
        await readBlock(address, half);
        await readBlock(address + half, n - half);
        return;
      }
      refusals.push({
        address,
        count: n,
        reason: e.kind === 'exception' ? `exception ${e.exceptionCode}` : e.kind,
      });
    }
  };
  for (let at = start; at < start + count; at += CHUNK)
    await readBlock(at, Math.min(CHUNK, start + count - at));
  return { words, requests, refusals };
}
