import { readSync, writeSync } from 'node:fs';
import type { SerialPort } from 'serialport';
import { WRITTEN, type SerialSettings } from './transport.js';

/** An open serial port as SerialTransport drives it. */
export interface SerialLine {
  readonly isOpen: boolean;
  write(data: Buffer): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface SerialLineEvents {
  data(chunk: Buffer): void;
  /** The line ended: once, with the reason when it went away by itself (unplugged, hung up). */
  closed(reason?: Error): void;
}

type BindingPort = Awaited<ReturnType<typeof SerialPort.binding.open>>;
/** What the POSIX bindings (Linux, macOS) expose beyond the common port: its descriptor and poller. */
type PolledPort = BindingPort & {
  fd: number | null;
  poller: {
    on(event: 'readable', cb: (err: Error | null) => void): unknown;
    off(event: 'readable', cb: (err: Error | null) => void): unknown;
    poll(flag: number): void;
  };
};

/** The binding's flag for "tell me when readable" (EVENTS.UV_READABLE of @serialport/bindings-cpp). */
const UV_READABLE = 1;

const RETRY = new Set(['EAGAIN', 'EWOULDBLOCK', 'EINTR']);

/**
 * A serial port read and written on the event loop's thread: serialport's binding opens and configures
 * it (baud rate, parity, … as always) and tells when it is readable; the bytes are then read with one
 * non-blocking read(2), and a frame is written with one non-blocking write(2). serialport's stream reads
 * and writes through libuv's thread pool instead: a read that finds nothing (EAGAIN) in a worker thread,
 * then a poll, then a second read in a worker; a write in a worker. On a pty those thread hand-offs cost
 * 160–330 µs of CPU per Modbus transaction against 45–60 µs here, and bounded the RTU-over-pty rate.
 * Linux only, where it is tested (real adapters and ptys are the same tty layer); elsewhere the stream.
 */
export class PolledSerialLine implements SerialLine {
  /** Read buffer, reused; each chunk handed on is a copy of what one read returned. */
  private readonly scratch = Buffer.allocUnsafe(4096);
  /** A write that did not go out at once, still under way: later writes queue behind it. */
  private pendingWrite: Promise<void> | undefined;

  private constructor(
    private port: PolledPort | undefined,
    private readonly fd: number,
    private readonly path: string,
    private readonly events: SerialLineEvents,
  ) {
    // One listener for the port's life, the poll re-armed per read: once() wrapped, added and removed
    // a listener per Modbus transaction.
    port?.poller.on('readable', this.onReadable);
    this.poll();
  }

  /** Opens the port when its binding has a descriptor and a poller; undefined when it has not. */
  static async open(
    settings: SerialSettings,
    events: SerialLineEvents,
  ): Promise<PolledSerialLine | undefined> {
    if (process.platform !== 'linux') return undefined;
    // serialport (a native addon) loads with the first serial port opened, not with the engine.
    const { SerialPort } = await import('serialport');
    let port: BindingPort;
    try {
      port = await SerialPort.binding.open({
        path: settings.path,
        baudRate: settings.baudRate,
        parity: settings.parity,
        dataBits: settings.dataBits,
        stopBits: settings.stopBits,
        lock: false,
      });
    } catch (e) {
      throw new Error(`cannot open ${settings.path}: ${(e as Error).message}`);
    }
    const polled = port as PolledPort;
    if (typeof polled.fd !== 'number' || typeof polled.poller?.poll !== 'function') {
      await port.close().catch(() => undefined);
      return undefined;
    }
    return new PolledSerialLine(polled, polled.fd, settings.path, events);
  }

  get isOpen(): boolean {
    return this.port?.isOpen ?? false;
  }

  private poll(): void {
    this.port?.poller.poll(UV_READABLE);
  }

  private readonly onReadable = (err: Error | null): void => {
    if (!this.port) return;
    if (err) return this.lose(err);
    let n: number;
    try {
      n = readSync(this.fd, this.scratch, 0, this.scratch.length, null);
    } catch (e) {
      if (RETRY.has((e as NodeJS.ErrnoException).code ?? '')) return this.poll();
      return this.lose(e as Error);
    }
    // Readable and nothing to read: the other end hung up (a non-blocking tty says EAGAIN when empty).
    if (n === 0) return this.lose(new Error(`${this.path} hung up`));
    const chunk = Buffer.allocUnsafe(n);
    this.scratch.copy(chunk, 0, 0, n);
    this.poll();
    this.events.data(chunk);
  };

  private lose(reason: Error): void {
    const port = this.port;
    this.port = undefined;
    port?.poller.off('readable', this.onReadable);
    port?.close().catch(() => undefined);
    this.events.closed(reason);
  }

  write(data: Buffer): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) return Promise.reject(new Error(`${this.path} is not open`));
    if (this.pendingWrite) return this.later(port, data);
    let n: number;
    try {
      n = writeSync(this.fd, data);
    } catch (e) {
      if (RETRY.has((e as NodeJS.ErrnoException).code ?? '')) return this.later(port, data);
      return Promise.reject(new Error(`write to ${this.path} failed: ${(e as Error).message}`));
    }
    // The tty's output buffer is full (a stalled line): the rest goes when it drains.
    return n === data.length ? WRITTEN : this.later(port, data.subarray(n));
  }

  /** Writes through the binding (it waits until the port is writable), after any write under way. */
  private later(port: PolledPort, data: Buffer): Promise<void> {
    const previous = this.pendingWrite ?? WRITTEN;
    const done: Promise<void> = previous
      .then(() => port.write(data))
      .catch((e: Error) => {
        throw new Error(`write to ${this.path} failed: ${e.message}`);
      })
      .finally(() => {
        if (this.pendingWrite === done) this.pendingWrite = undefined;
      });
    this.pendingWrite = done;
    return done;
  }

  flush(): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) return Promise.resolve();
    return port.flush().catch(() => undefined);
  }

  async close(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    if (!port?.isOpen) return;
    await port.close().catch(() => undefined);
    port.poller.off('readable', this.onReadable);
    this.events.closed();
  }
}
