import type { SerialPort } from 'serialport';
import { TransportEmitter } from './emitter.js';
import { charTimeMs, type SerialSettings, type Transport } from './transport.js';

export class SerialTransport extends TransportEmitter implements Transport {
  readonly endpoint: string;
  readonly charTimeMs: number;
  private port: SerialPort | undefined;

  constructor(readonly settings: SerialSettings) {
    super();
    const p = settings.parity === 'none' ? 'N' : settings.parity === 'even' ? 'E' : 'O';
    this.endpoint = `${settings.path}@${settings.baudRate},${settings.dataBits}${p}${settings.stopBits}`;
    this.charTimeMs = charTimeMs(settings);
  }

  get isOpen(): boolean {
    return this.port?.isOpen ?? false;
  }

  async open(): Promise<void> {
    if (this.isOpen) return;
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
      port.on('data', (chunk: Buffer) => this.emitData(chunk));
      port.on('close', (err?: Error | null) => {
        if (this.port === port) this.port = undefined;
        this.emitClose(err ?? undefined);
      });
      // Errors after open arrive as 'close' with a reason; swallow the duplicate 'error' event.
      port.on('error', () => undefined);
      port.open((err) => {
        if (err) {
          reject(new Error(`cannot open ${this.settings.path}: ${err.message}`));
          return;
        }
        this.port = port;
        resolve();
      });
    });
  }

  close(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    if (!port?.isOpen) return Promise.resolve();
    return new Promise((resolve) => port.close(() => resolve()));
  }

  write(data: Buffer): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) return Promise.reject(new Error(`${this.settings.path} is not open`));
    return new Promise((resolve, reject) => {
      port.write(data, (err) => {
        if (err) reject(new Error(`write to ${this.settings.path} failed: ${err.message}`));
        else resolve();
      });
    });
  }

  flush(): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) return Promise.resolve();
    return new Promise((resolve) => port.flush(() => resolve()));
  }
}
