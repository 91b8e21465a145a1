import { readSync, writeSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { TransportEmitter } from './emitter.js';
import { charTimeMs, type SerialSettings, type Transport } from './transport.js';

/** What the Linux/macOS binding of serialport holds: the open descriptor and its readiness poller. */
interface UnixBinding {
  fd: number | null;
  poller?: { once(event: 'readable', cb: (err: Error | null) => void): unknown };
}

const RETRY = new Set(['EAGAIN', 'EWOULDBLOCK', 'EINTR']);

/**
 * A serial port. serialport configures it (speed, framing); on Linux and macOS the bytes then move
 * with plain read/write calls on its descriptor when the poller says it is readable, instead of
 * through serialport's stream, which sends every read and write through libuv's thread pool: two
 * thread hand-offs per reply and one per request, the largest cost of a transaction on a busy machine.
 */
export class SerialTransport extends TransportEmitter implements Transport {
  readonly endpoint: string;
  readonly charTimeMs: number;
  private port: SerialPort | undefined;
  private direct: UnixBinding | undefined;
  private closeReason: Error | undefined;
  private readonly rx = Buffer.allocUnsafe(4096);

  constructor(readonly settings: SerialSettings) {
    super();
    const p = settings.parity === 'none' ? 'N' : settings.parity === 'even' ? 'E' : 'O';
    this.endpoint = `${settings.path}@${settings.baudRate},${settings.dataBits}${p}${settings.stopBits}`;
    this.charTimeMs = charTimeMs(settings);
  }

  get isOpen(): boolean {
    return this.port?.isOpen ?? false;
  }

  open(): Promise<void> {
    if (this.isOpen) return Promise.resolve();
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
      port.on('close', (err?: Error | null) => {
        if (this.port === port) this.port = undefined;
        this.direct = undefined;
        this.emitClose(err ?? this.closeReason);
      });
      // Errors after open arrive as 'close' with a reason; swallow the duplicate 'error' event.
      port.on('error', () => undefined);
      port.open((err) => {
        if (err) {
          reject(new Error(`cannot open ${this.settings.path}: ${err.message}`));
          return;
        }
        this.port = port;
        this.closeReason = undefined;
        const b = port.port as unknown as UnixBinding | undefined;
        if (b && typeof b.fd === 'number' && b.poller) {
          this.direct = b;
          this.read(port, b);
        } else port.on('data', (chunk: Buffer) => this.emitData(chunk));
        resolve();
      });
    });
  }

  /** Reads whatever is there, then waits for the poller; the copy handed on is the only allocation. */
  private read(port: SerialPort, b: UnixBinding): void {
    for (;;) {
      if (this.port !== port || b.fd === null) return;
      let n: number;
      try {
        n = readSync(b.fd, this.rx, 0, this.rx.length, null);
      } catch (e) {
        if (RETRY.has((e as NodeJS.ErrnoException).code ?? '')) break;
        this.lost(port, e as Error);
        return;
      }
      if (n <= 0) break;
      this.emitData(Buffer.from(this.rx.subarray(0, n)));
    }
    b.poller?.once('readable', (err) => {
      if (this.port !== port) return;
      if (err) this.lost(port, err);
      else this.read(port, b);
    });
  }

  /** The adapter went away (EIO, ENXIO, EBADF): close with the reason, as serialport's stream would. */
  private lost(port: SerialPort, err: Error): void {
    this.closeReason = new Error(`${this.settings.path}: ${err.message}`);
    if (port.isOpen) port.close(() => undefined);
  }

  close(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    this.direct = undefined;
    if (!port?.isOpen) return Promise.resolve();
    return new Promise((resolve) => port.close(() => resolve()));
  }

  write(data: Buffer): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) return Promise.reject(new Error(`${this.settings.path} is not open`));
    let rest = data;
    const fd = this.direct?.fd;
    if (typeof fd === 'number') {
      try {
        rest = data.subarray(writeSync(fd, data));
      } catch (e) {
        if (!RETRY.has((e as NodeJS.ErrnoException).code ?? ''))
          return Promise.reject(new Error(`write to ${this.settings.path} failed: ${(e as Error).message}`));
      }
      if (!rest.length) return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      port.write(rest, (err) => {
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
