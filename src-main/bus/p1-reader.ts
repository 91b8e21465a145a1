import { EventEmitter } from 'node:events';
import { P1Framer, type P1FrameErrorReason } from '../protocol/p1/framer.js';
import { parseP1Frame, type P1ParseOptions } from '../protocol/p1/parser.js';
import { stripParity } from '../protocol/p1/seven-bit.js';
import { mapP1Telegram, type P1Signals } from '../protocol/p1/signals.js';
import type { P1ParseErrorReason, P1Telegram } from '../protocol/p1/types.js';
import type { Transport } from '../transport/transport.js';

export interface P1Reading {
  endpoint: string;
  receivedAt: number;
  telegram: P1Telegram;
  signals: P1Signals;
}

/** A telegram the reader threw away, with where and why. */
export interface P1Rejection {
  endpoint: string;
  at: number;
  reason: P1FrameErrorReason | P1ParseErrorReason;
  detail: string;
}

export interface P1ReaderStats {
  telegrams: number;
  badCrc: number;
  /** Truncated, overlong or unparseable telegrams. */
  framingErrors: number;
  /** Bytes outside telegrams (noise, a telegram tail when reading starts mid-way). */
  skippedBytes: number;
  lastTelegramAt: number | null;
  stale: boolean;
}

export interface P1ReaderEvents {
  telegram: (reading: P1Reading) => void;
  rejected: (rejection: P1Rejection) => void;
  /** No good telegram for staleAfterMs (cable out, Data Request line low, wrong settings). */
  stale: (silentForMs: number) => void;
  /** Telegrams are arriving again after 'stale'. */
  fresh: () => void;
}

export interface P1ReaderOptions {
  /** Default 30 s: three DSMR 4 intervals (DSMR 5 sends every second, DSMR 2.2–4 every 10 s). */
  staleAfterMs?: number;
  /** The line is 7E1 but arrives with the parity bit in bit 7 (8-bit port, pty, TCP bridge). */
  stripParity?: boolean;
  maxTelegramBytes?: number;
  parse?: P1ParseOptions;
}

/** Receive-only reader for one P1 port: frames, checks, parses and maps what the meter pushes. */
export class P1Reader {
  private readonly ee = new EventEmitter();
  private readonly framer: P1Framer;
  private readonly staleAfterMs: number;
  private readonly counts = { telegrams: 0, badCrc: 0, framingErrors: 0 };
  private lastTelegramAt: number | null = null;
  private lastActivity = 0;
  private stale = false;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  private readonly onData = (chunk: Buffer): void => this.receive(chunk);
  private readonly onClose = (): void => this.framer.reset();

  constructor(
    private readonly transport: Transport,
    private readonly options: P1ReaderOptions = {},
  ) {
    this.framer = new P1Framer(
      options.maxTelegramBytes ? { maxTelegramBytes: options.maxTelegramBytes } : {},
    );
    this.staleAfterMs = options.staleAfterMs ?? 30_000;
  }

  on<E extends keyof P1ReaderEvents>(event: E, listener: P1ReaderEvents[E]): void {
    this.ee.on(event, listener);
  }

  off<E extends keyof P1ReaderEvents>(event: E, listener: P1ReaderEvents[E]): void {
    this.ee.off(event, listener);
  }

  get stats(): P1ReaderStats {
    return {
      ...this.counts,
      skippedBytes: this.framer.skippedBytes,
      lastTelegramAt: this.lastTelegramAt,
      stale: this.stale,
    };
  }

  /** Starts listening; the transport's owner opens and closes it. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.transport.on('data', this.onData);
    this.transport.on('close', this.onClose);
    this.lastActivity = Date.now();
    this.arm();
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.transport.off('data', this.onData);
    this.transport.off('close', this.onClose);
    clearTimeout(this.timer);
    this.timer = undefined;
    this.framer.reset();
  }

  private receive(chunk: Buffer): void {
    const bytes = this.options.stripParity ? stripParity(chunk) : chunk;
    for (const ev of this.framer.push(bytes)) {
      const at = Date.now();
      if (ev.type === 'error') {
        if (ev.error.reason === 'bad_crc') this.counts.badCrc++;
        else this.counts.framingErrors++;
        this.reject(at, ev.error.reason, ev.error.detail);
        continue;
      }
      const parsed = parseP1Frame(ev.frame, this.options.parse);
      if (!parsed.ok) {
        this.counts.framingErrors++;
        this.reject(at, parsed.error.reason, parsed.error.detail);
        continue;
      }
      this.counts.telegrams++;
      this.lastTelegramAt = at;
      this.lastActivity = at;
      if (this.stale) {
        this.stale = false;
        this.arm();
        this.ee.emit('fresh');
      }
      const reading: P1Reading = {
        endpoint: this.transport.endpoint,
        receivedAt: at,
        telegram: parsed.telegram,
        signals: mapP1Telegram(parsed.telegram, { receivedAt: at }),
      };
      this.ee.emit('telegram', reading);
    }
  }

  private reject(at: number, reason: P1Rejection['reason'], detail: string): void {
    const rejection: P1Rejection = { endpoint: this.transport.endpoint, at, reason, detail };
    this.ee.emit('rejected', rejection);
  }

  /** One timer for the quiet period, re-armed for the remainder instead of being reset per telegram. */
  private arm(): void {
    const due = this.lastActivity + this.staleAfterMs - Date.now();
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        if (!this.running) return;
        const silent = Date.now() - this.lastActivity;
        if (silent < this.staleAfterMs) {
          this.arm();
          return;
        }
        this.stale = true;
        this.ee.emit('stale', silent);
      },
      Math.max(due, 1),
    );
  }
}
