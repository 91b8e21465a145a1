import type { SerialPort } from 'serialport';
import { TransportEmitter } from './emitter.js';
import { PolledSerialLine, type SerialLine } from './serial-polled.js';
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
    // Read and written on the event loop where the binding allows it (Linux), else serialport's stream.
    const polled = await PolledSerialLine.open(this.settings, {
      data: (chunk) => this.emitData(chunk),
      lost: (reason) => {
        if (this.line === polled) this.line = undefined;
        this.emitClose(reason);
      },
    });
    this.line = polled ?? (await this.openStream());
  }

  private async openStream(): Promise<SerialLine> {
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
      const line = new StreamLine(port, this.settings.path);
      port.on('data', (chunk: Buffer) => this.emitData(chunk));
      port.on('close', (err?: Error | null) => {
        if (this.line === line) this.line = undefined;
        this.emitClose(err ?? undefined);
      });
      // Errors after open arrive as 'close' with a reason; swallow the duplicate 'error' event.
      port.on('error', () => undefined);
      port.open((err) => {
        if (err) reject(new Error(`cannot open ${this.settings.path}: ${err.message}`));
        else resolve(line);
      });
    });
  }

  async close(): Promise<void> {
    const line = this.line;
    this.line = undefined;
    if (!line?.isOpen) return;
    await line.close();
    // The stream says so itself; a polled line closed on purpose says it here.
    if (line instanceof PolledSerialLine) this.emitClose(undefined);
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
