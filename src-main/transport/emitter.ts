import { EventEmitter } from 'node:events';
import type { TransportEvents } from './transport.js';

/** Typed listener registry shared by the transports. */
export class TransportEmitter {
  private readonly ee = new EventEmitter();
  on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.ee.on(event, listener);
  }
  off<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.ee.off(event, listener);
  }
  protected emitData(chunk: Buffer): void {
    this.ee.emit('data', chunk);
  }
  protected emitClose(reason: Error | undefined): void {
    this.ee.emit('close', reason);
  }
}
