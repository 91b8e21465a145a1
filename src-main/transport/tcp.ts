import { Socket } from 'node:net';
import { TransportEmitter } from './emitter.js';
import type { TcpSettings, Transport } from './transport.js';

export class TcpTransport extends TransportEmitter implements Transport {
  readonly endpoint: string;
  readonly charTimeMs = 0;
  private socket: Socket | undefined;

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
      const socket = new Socket();
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
      socket.connect(this.settings.port, this.settings.host, () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        let closeReason: Error | undefined;
        socket.on('error', (err) => (closeReason = err));
        socket.on('data', (chunk) => this.emitData(chunk));
        socket.on('close', () => {
          if (this.socket === socket) this.socket = undefined;
          this.emitClose(closeReason);
        });
        this.socket = socket;
        resolve();
      });
    });
  }

  close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket || socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    });
  }

  write(data: Buffer): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.destroyed) return Promise.reject(new Error(`${this.endpoint} is not connected`));
    return new Promise((resolve, reject) => {
      socket.write(data, (err) =>
        err ? reject(new Error(`write to ${this.endpoint} failed: ${err.message}`)) : resolve(),
      );
    });
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }
}
