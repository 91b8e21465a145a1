/**
 * The one seam between the engine and hardware. Protocol and bus code get a Transport and never ask
 * whether it is a serial port or a socket.
 */
export interface TransportEvents {
  data: (chunk: Buffer) => void;
  /** The link went away (adapter unplugged, peer reset). The owner decides whether to reopen. */
  close: (reason: Error | undefined) => void;
}

export interface Transport {
  /** Human-readable endpoint, e.g. "/dev/ttyUSB0@9600,8N1" or "tcp://10.0.0.5:502". */
  readonly endpoint: string;
  readonly isOpen: boolean;
  open(): Promise<void>;
  close(): Promise<void>;
  /**
   * Hands bytes to the link. Returns WRITTEN when they went to the OS at once (the caller need not
   * wait), else a promise that settles when they did or could not.
   */
  write(data: Buffer): Promise<void>;
  /** Drops whatever the OS has buffered but not yet delivered (before a new request on a shared line). */
  flush(): Promise<void>;
  on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void;
  off<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void;
  /** Time one character takes on the wire, in ms (0 for TCP); timeouts are built on it. */
  readonly charTimeMs: number;
}

/**
 * The one promise write() returns for bytes the OS took at once. A bus compares against it to skip
 * a rejection handler (a promise and a microtask) per request: on a loopback Modbus TCP transaction
 * of ~100 µs, each such step is a measurable share.
 */
export const WRITTEN: Promise<void> = Promise.resolve();

export type Parity = 'none' | 'even' | 'odd';

export interface SerialSettings {
  path: string;
  baudRate: number;
  parity: Parity;
  dataBits: 7 | 8;
  stopBits: 1 | 2;
}

export interface TcpSettings {
  host: string;
  port: number;
  connectTimeoutMs?: number;
}

/** Bits per character on an async serial line: start + data + parity + stop. */
export function charTimeMs(s: Pick<SerialSettings, 'baudRate' | 'parity' | 'dataBits' | 'stopBits'>): number {
  const bits = 1 + s.dataBits + (s.parity === 'none' ? 0 : 1) + s.stopBits;
  return (bits * 1000) / s.baudRate;
}
