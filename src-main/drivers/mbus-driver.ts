import type { MeterBusConnection } from '../../src-preload/contract/domain.js';
import { MbusMaster, mbusSerialSettings, type MbusReading } from '../bus/mbus-master.js';
import { mapRecordsToSignals, statusSignal } from '../protocol/mbus/signal-map.js';
import { parseSecondaryAddress } from '../protocol/mbus/secondary-address.js';
import type { BaudRate } from '../protocol/mbus/user-data.js';
import type { DeviceReader, DeviceReading } from '../poller/device-reader.js';
import type { ReaderFactory } from '../poller/reader-factory.js';
import { SerialTransport } from '../transport/serial.js';

/** Catalogue values of one readout: only current, main-unit values map to signals. */
export function mbusValues(reading: MbusReading): DeviceReading['values'] {
  const values: DeviceReading['values'] = new Map();
  const medium = reading.header?.medium ?? 0;
  const data = reading.records.flatMap((r) => (r.type === 'data' ? [r] : []));
  for (const s of mapRecordsToSignals(data, medium)) if (s) values.set(s.key, { value: s.value, status: 1 });
  // The header's status byte is the meter's own word on errors and alarms: kept as text like any value.
  if (reading.header)
    values.set('meter_status', { value: statusSignal(reading.header.status).value, status: 1 });
  return values;
}

/** One master per M-Bus line (level converter), shared by every meter on it; its link queues requests. */
export class MbusLines {
  private readonly lines = new Map<
    string,
    { master: MbusMaster; transport: SerialTransport; users: number }
  >();

  acquire(c: MeterBusConnection): MbusMaster {
    const cur = this.lines.get(c.port);
    if (cur) {
      cur.users++;
      return cur.master;
    }
    const transport = new SerialTransport(mbusSerialSettings(c.port, c.baud as BaudRate));
    const master = new MbusMaster(transport);
    this.lines.set(c.port, { master, transport, users: 1 });
    return master;
  }

  async release(port: string): Promise<void> {
    const cur = this.lines.get(port);
    if (!cur) return;
    if (--cur.users > 0) return;
    this.lines.delete(port);
    await cur.transport.close();
  }

  async closeAll(): Promise<void> {
    const all = [...this.lines.values()];
    this.lines.clear();
    await Promise.all(all.map((l) => l.transport.close().catch(() => undefined)));
  }
}

/** Reads one meter by primary or secondary address each poll cycle. */
export class MbusDeviceReader implements DeviceReader {
  constructor(
    private readonly lines: MbusLines,
    private readonly master: MbusMaster,
    private readonly c: MeterBusConnection,
  ) {}

  async read(): Promise<DeviceReading> {
    try {
      if (!this.master.transport.isOpen) await this.master.transport.open();
      let reading: MbusReading;
      if (this.c.secondary) {
        const addr = parseSecondaryAddress(this.c.secondary);
        if (!addr.ok)
          return {
            values: new Map(),
            answered: false,
            error: `secondary address ${this.c.secondary}: ${addr.error.message}`,
          };
        reading = await this.master.readSecondary(addr.value);
      } else {
        reading = await this.master.read(this.c.primary ?? 0);
      }
      return { values: mbusValues(reading), answered: true };
    } catch (e) {
      return { values: new Map(), answered: false, error: (e as Error).message };
    }
  }

  async close(): Promise<void> {
    await this.lines.release(this.c.port);
  }
}

export function meterBusReaderFactory(lines: MbusLines): ReaderFactory {
  return (device) => {
    const c = device.connection as MeterBusConnection;
    return new MbusDeviceReader(lines, lines.acquire(c), c);
  };
}
