import { Buffer } from 'node:buffer';
import { writeSync } from 'node:fs';
import { isatty, ReadStream } from 'node:tty';
import type { SerialPort } from 'serialport';
import type { SerialLine, SerialLineEvents } from './serial-line.js';
import { WRITTEN, type SerialSettings } from './transport.js';
import { copyOf } from '../util/bytes.js';

type BindingPort = Awaited<ReturnType<typeof SerialPort.binding.open>>;
/** What the POSIX bindings expose beyond the common port: the descriptor and the poller made with it. */
type BindingWithFd = BindingPort & { fd: number | null; poller?: { destroy(): void } };

const RETRY = new Set(['EAGAIN', 'EWOULDBLOCK', 'EINTR']);
/** Bytes read at most per read(2): far above any Modbus, M-Bus or P1 burst between two reads. */
const READ_BUFFER = 16 * 1024;

/**
 * A serial port read by Node's own tty handle on the event loop: serialport's binding opens and
 * configures it (baud rate, parity, … as always), then libuv watches the descriptor for as long as the
 * line is open and reads what arrives into one reused buffer, and a frame is written with one
 * non-blocking write(2). serialport's stream reads and writes through libuv's thread pool instead (on a
 * pty 160–330 µs of CPU per Modbus transaction against 45–60 µs on the event loop), and re-arming the
 * binding's poller for every read costs three epoll_ctl calls and a JavaScript event per reply: a bare
 * request/reply loop over a socat pty reaches 0.90× mbpoll that way and 0.97× with the tty handle.
 *
 * The tty handle owns the descriptor from then on (libuv closes it with the handle; on a pty it reopens
 * the terminal first), so the binding is never closed itself and its poller, never started, is closed
 * before the handle watches the descriptor. Linux only, where it is tested; elsewhere the stream.
 */
export class TtySerialLine implements SerialLine {
  private readonly rx = Buffer.allocUnsafe(READ_BUFFER);
  private stream: ReadStream | undefined;
  /** A write that did not go out at once, still under way: later writes queue behind it. */
  private pendingWrite: Promise<void> | undefined;
  private ended = false;

  private constructor(
    private readonly port: BindingWithFd,
    private readonly fd: number,
    private readonly path: string,
    private readonly events: SerialLineEvents,
  ) {
    const stream = new ReadStream(fd, { onread: { buffer: this.rx, callback: this.onRead } } as object);
    stream.on('error', (e: Error) => this.lose(e));
    // A pty whose other end went away reads as EIO (an error above) or as the end of input.
    stream.on('end', () => this.lose(new Error(`${path} hung up`)));
    stream.on('close', () => this.lose(new Error(`${path} closed`)));
    stream.resume();
    this.stream = stream;
  }

  /** Opens the port when it is a terminal with a descriptor; undefined when it is not. */
  static async open(settings: SerialSettings, events: SerialLineEvents): Promise<TtySerialLine | undefined> {
    if (process.platform !== 'linux') return undefined;
    // serialport (a native addon) loads with the first serial port opened, not with the engine.
    const { SerialPort } = await import('serialport');
    let port: BindingWithFd;
    try {
      port = (await SerialPort.binding.open({
        path: settings.path,
        baudRate: settings.baudRate,
        parity: settings.parity,
        dataBits: settings.dataBits,
        stopBits: settings.stopBits,
        lock: false,
      })) as BindingWithFd;
    } catch (e) {
      throw new Error(`cannot open ${settings.path}: ${(e as Error).message}`);
    }
    if (typeof port.fd !== 'number' || !isatty(port.fd)) {
      await port.close().catch(() => undefined);
      return undefined;
    }
    // Closing a poll handle drops the descriptor from the loop's epoll set: done now, before the tty
    // handle adds it, never after.
    port.poller?.destroy();
    return new TtySerialLine(port, port.fd, settings.path, events);
  }

  get isOpen(): boolean {
    return !this.ended;
  }

  /** `onread`'s callback: the bytes are in `rx`, which the next read overwrites. */
  private readonly onRead = (n: number): boolean => {
    const chunk = copyOf(this.rx, n);
    this.events.data(chunk);
    return true;
  };

  private lose(reason: Error): void {
    if (this.ended) return;
    this.ended = true;
    const stream = this.stream;
    this.stream = undefined;
    stream?.destroy();
    this.events.closed(reason);
  }

  write(data: Buffer): Promise<void> {
    if (this.ended) return Promise.reject(new Error(`${this.path} is not open`));
    if (this.pendingWrite) return this.later(data);
    let n: number;
    try {
      n = writeSync(this.fd, data);
    } catch (e) {
      if (RETRY.has((e as NodeJS.ErrnoException).code ?? '')) return this.later(data);
      return Promise.reject(new Error(`write to ${this.path} failed: ${(e as Error).message}`));
    }
    // The tty's output buffer is full (a stalled line): the rest goes when it drains.
    return n === data.length ? WRITTEN : this.later(data.subarray(n));
  }

  /** Writes once the output buffer has room, after any write under way; tried every few ms. */
  private later(data: Buffer): Promise<void> {
    const previous = this.pendingWrite ?? WRITTEN;
    const done: Promise<void> = previous
      .then(() => this.drainWrite(data))
      .finally(() => {
        if (this.pendingWrite === done) this.pendingWrite = undefined;
      });
    this.pendingWrite = done;
    return done;
  }

  private async drainWrite(data: Buffer): Promise<void> {
    let rest = data;
    while (rest.length) {
      if (this.ended) throw new Error(`write to ${this.path} failed: the port closed`);
      try {
        rest = rest.subarray(writeSync(this.fd, rest));
      } catch (e) {
        if (!RETRY.has((e as NodeJS.ErrnoException).code ?? ''))
          throw new Error(`write to ${this.path} failed: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 2));
      }
    }
  }

  flush(): Promise<void> {
    if (this.ended) return Promise.resolve();
    return this.port.flush().catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    const stream = this.stream;
    this.stream = undefined;
    if (stream) await new Promise<void>((r) => stream.destroy().once('close', () => r()));
    this.events.closed();
  }
}
