import { Buffer } from 'node:buffer';
import { createConnection, type Socket } from 'node:net';
import { TransportEmitter } from './emitter.js';
import { WRITTEN, type TcpSettings, type Transport } from './transport.js';
import { copyOf } from '../util/bytes.js';

export class TcpTransport extends TransportEmitter implements Transport {
  readonly endpoint: string;
  readonly charTimeMs = 0;
  private socket: Socket | undefined;
  private readonly rx = Buffer.allocUnsafe(16 * 1024);

  constructor(readonly settings: TcpSettings) {
    super();
    this.endpoint = `tcp://${settings.host}:${settings.port}`;
  }

  get isOpen(): boolean {
    return this.socket !== undefined && !this.socket.destroyed && !this.socket.connecting;
  }

  open(): Promise<void> {
    if (this.isOpen) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const { host, port } = this.settings;
      // Replies land in one reused buffer and are handed on as a copy of what one read returned:
      // no readable stream (its buffering, 'data' event and read-ahead bookkeeping) per reply.
      const onread = { buffer: this.rx, callback: this.onRead };
      const socket: Socket = createConnection({ host, port, onread }, () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        let closeReason: Error | undefined;
        socket.on('error', (err) => (closeReason = err));
        socket.on('close', () => {
          if (this.socket === socket) this.socket = undefined;
          this.emitClose(closeReason);
        });
        this.socket = socket;
        resolve();
      });
      const timeout = this.settings.connectTimeoutMs ?? 3000;
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect to ${this.endpoint} timed out after ${timeout} ms`));
      }, timeout);
      socket.setNoDelay(true);
      // Half-open links (peer gone without FIN) are found by keepalive, not by waiting forever.
      socket.setKeepAlive(true, 5000);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`connect to ${this.endpoint} failed: ${err.message}`));
      });
    });
  }

  /** `onread`'s callback: the bytes are in `rx`, which the next read overwrites. */
  private readonly onRead = (n: number): boolean => {
    const chunk = copyOf(this.rx, n);
    this.emitData(chunk);
    return true;
  };

  close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket || socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    });
  }

  /**
   * A socket that fails a write fails as a whole: the error ends the connection and reaches the owner
   * through 'close' with its reason, so a write needs no callback of its own (one promise, a closure
   * and a tick per request less).
   */
  write(data: Buffer): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.destroyed) return Promise.reject(new Error(`${this.endpoint} is not connected`));
    socket.write(data);
    return WRITTEN;
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }
}
