import { MbusMaster, mbusSerialSettings } from '../bus/mbus-master.js';
import type { MbusFoundMeter, MbusScanProgress } from '../bus/mbus-scan.js';
import type { BaudRate } from '../protocol/mbus/user-data.js';
import { SerialTransport } from '../transport/serial.js';

export const MBUS_BAUDS = [300, 600, 1200, 2400, 4800, 9600, 19200, 38400] as const;

export interface MbusLineScanOptions {
  port: string;
  bauds?: readonly number[];
  /** Inclusive primary address range; omitted with `secondary` → secondary search only. */
  primary?: { from: number; to: number };
  secondary?: boolean;
}

export interface MbusLineFound extends MbusFoundMeter {
  baud: number;
}

/** Primary scan and/or secondary wildcard search on one M-Bus line, per baud rate; cancellable. */
export async function scanMbusLine(
  o: MbusLineScanOptions,
  hooks: { signal?: AbortSignal; onProgress?: (p: MbusScanProgress & { baud: number }) => void } = {},
): Promise<MbusLineFound[]> {
  const bauds = o.bauds?.length ? o.bauds : [2400];
  for (const b of bauds)
    if (!(MBUS_BAUDS as readonly number[]).includes(b))
      throw new Error(`${b} is not an M-Bus baud rate (${MBUS_BAUDS.join(', ')})`);
  const primary = o.primary ?? (o.secondary ? undefined : { from: 0, to: 250 });
  const found: MbusLineFound[] = [];
  try {
    for (const baud of bauds) {
      if (hooks.signal?.aborted) break;
      const transport = new SerialTransport(mbusSerialSettings(o.port, baud as BaudRate));
      await transport.open();
      try {
        const master = new MbusMaster(transport, { retries: 0 });
        // Collected as they are found, so a cancelled scan still reports what it had.
        const scanHooks = {
          signal: hooks.signal,
          onProgress: (p: MbusScanProgress): void => hooks.onProgress?.({ ...p, baud }),
          onFound: (m: MbusFoundMeter): void => {
            found.push({ ...m, baud });
          },
        };
        if (primary) await master.scanPrimary({ ...primary, ...scanHooks });
        if (o.secondary && !hooks.signal?.aborted) await master.scanSecondary(scanHooks);
      } finally {
        await transport.close();
      }
    }
  } catch (e) {
    if (!hooks.signal?.aborted) throw e;
  }
  return found;
}
