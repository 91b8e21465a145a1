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
