import type { SerialPort } from 'serialport';
import { TransportEmitter } from './emitter.js';
import type { SerialLine, SerialLineEvents } from './serial-line.js';
import { TtySerialLine } from './serial-tty.js';
import { charTimeMs, type SerialSettings, type Transport } from './transport.js';

export class SerialTransport extends TransportEmitter implements Transport {
  readonly endpoint: string;
  readonly charTimeMs: number;
  private line: SerialLine | undefined;

  constructor(readonly settings: SerialSettings) {
    super();
    const p = settings.parity === 'none' ? 'N' : settings.parity === 'even' ? 'E' : 'O';
    this.endpoint = `${settings.path}@${settings.baudRate},${settings.dataBits}${p}${settings.stopBits}`;
    this.charTimeMs = charTimeMs(settings);
  }

  get isOpen(): boolean {
    return this.line?.isOpen ?? false;
  }

  async open(): Promise<void> {
    if (this.isOpen) return;
    // Read by Node's tty handle and written on the event loop where that works (Linux), else serialport's stream.
    // The events know their own line: a late close of an old line leaves a newer one alone.
    const mine: { line?: SerialLine } = {};
    const events: SerialLineEvents = {
      data: (chunk) => this.emitData(chunk),
      closed: (reason) => {
        if (this.line === mine.line) this.line = undefined;
        this.emitClose(reason);
      },
    };
    mine.line = (await TtySerialLine.open(this.settings, events)) ?? (await this.openStream(events));
    this.line = mine.line;
  }

  private async openStream(events: SerialLineEvents): Promise<SerialLine> {
    // serialport (a native addon) loads with the first serial port opened, not with the engine.
    const { SerialPort } = await import('serialport');
    return new Promise((resolve, reject) => {
      const port = new SerialPort({
        path: this.settings.path,
        baudRate: this.settings.baudRate,
        parity: this.settings.parity,
        dataBits: this.settings.dataBits,
        stopBits: this.settings.stopBits,
        autoOpen: false,
        lock: false,
      });
      port.on('data', events.data);
      port.on('close', (err?: Error | null) => events.closed(err ?? undefined));
      // Errors after open arrive as 'close' with a reason; swallow the duplicate 'error' event.
      port.on('error', () => undefined);
      port.open((err) => {
        if (err) reject(new Error(`cannot open ${this.settings.path}: ${err.message}`));
        else resolve(new StreamLine(port, this.settings.path));
      });
    });
  }

  async close(): Promise<void> {
    const line = this.line;
    this.line = undefined;
    if (!line?.isOpen) return;
    await line.close();
  }

  write(data: Buffer): Promise<void> {
    const line = this.line;
    if (!line?.isOpen) return Promise.reject(new Error(`${this.settings.path} is not open`));
    return line.write(data);
  }

  flush(): Promise<void> {
    return this.line?.isOpen ? this.line.flush() : Promise.resolve();
  }
}

/** serialport's stream: every platform's binding, reads and writes in libuv's thread pool. */
class StreamLine implements SerialLine {
  constructor(
    private readonly port: SerialPort,
    private readonly path: string,
  ) {}

  get isOpen(): boolean {
    return this.port.isOpen;
  }

  write(data: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      this.port.write(data, (err) => {
        if (err) reject(new Error(`write to ${this.path} failed: ${err.message}`));
        else resolve();
      });
    });
  }

  flush(): Promise<void> {
    return new Promise((resolve) => this.port.flush(() => resolve()));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.port.close(() => resolve()));
  }
}
