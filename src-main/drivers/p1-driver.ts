import type { P1Connection } from '../../src-preload/contract/domain.js';
import { P1Reader, type P1Reading } from '../bus/p1-reader.js';
import type { DeviceReader, DeviceReading } from '../poller/device-reader.js';
import type { ReaderFactory } from '../poller/reader-factory.js';
import { SerialTransport } from '../transport/serial.js';

/**
 * A P1 port pushes a telegram every 1–10 s; the poller asks on its own schedule. This reader keeps the
 * latest values of the last good telegram and reports the device as not answering once it goes stale.
 */
export class P1DeviceReader implements DeviceReader {
  private readonly transport: SerialTransport;
  private readonly reader: P1Reader;
  private latest: P1Reading | undefined;
  private reopenTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    readonly connection: P1Connection,
    private readonly staleAfterMs = 30_000,
  ) {
    this.transport = new SerialTransport({
      path: connection.port,
      baudRate: connection.baud,
      parity: connection.parity,
      dataBits: connection.dataBits,
      stopBits: 1,
    });
    // 7E1 characters read by an 8-bit port (or a pty) carry the parity in bit 7.
    this.reader = new P1Reader(this.transport, { staleAfterMs, stripParity: connection.dataBits === 7 });
    this.reader.on('telegram', (r) => (this.latest = r));
    this.transport.on('close', () => this.scheduleReopen());
    this.reader.start();
    this.open();
  }

  private open(): void {
    this.transport.open().catch(() => this.scheduleReopen());
  }

  private scheduleReopen(): void {
    if (this.closed || this.reopenTimer) return;
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = undefined;
      if (!this.closed && !this.transport.isOpen) this.open();
    }, 1000);
  }

  get stats() {
    return this.reader.stats;
  }

  /** When the latest good telegram arrived (null: none yet): what it measured is of that moment. */
  get receivedAt(): number | null {
    return this.latest?.receivedAt ?? null;
  }

  async read(): Promise<DeviceReading> {
    const values: DeviceReading['values'] = new Map();
    const r = this.latest;
    if (!r || Date.now() - r.receivedAt > this.staleAfterMs)
      return {
        values,
        answered: false,
        error: r ? 'no telegram received lately' : 'no telegram received yet',
      };
    for (const s of r.signals.samples) values.set(s.key, { value: s.value, status: 1 });
    return { values, answered: true };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reopenTimer);
    this.reader.stop();
    await this.transport.close();
  }
}

export function p1ReaderFactory(): ReaderFactory {
  return (device) => new P1DeviceReader(device.connection as P1Connection);
}
