import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import type { ModbusErrorKind } from './errors.js';

/** Why a request ended without a reply PDU. */
export interface ReplyFailure {
  error: ModbusErrorKind;
  detail?: string;
}

/** How a request ended: the reply frame, or why there is none. */
export type ReplyOutcome = Buffer | ReplyFailure;

const EMPTY = Buffer.alloc(0);
const TIMEOUT: ReplyFailure = Object.freeze({ error: 'timeout' });
const CANCELLED: ReplyFailure = Object.freeze({ error: 'cancelled' });

/**
 * The one request of a line that waits for its reply (a line carries one request at a time) and its
 * deadline. Its state lives here and is reused, so a request allocates nothing here,
 * and one watchdog timer serves all requests: armed when none is, it re-arms itself for the deadline of
 * the request pending when it fires. A reply usually comes long before the watchdog fires, so the common
 * request touches no timer at all (a setTimeout/clearTimeout pair per request, with its closures, cost
 * several µs of a ~70 µs loopback transaction). The watchdog never keeps the process alive by itself:
 * a pending request has an open transport, which does.
 */
export class ReplyWait {
  unit = 0;
  txId = 0;
  /** The request PDU and the frame that carried it. */
  request: Buffer = EMPTY;
  sent: Buffer = EMPTY;
  /** performance.now() when the request was handed to the transport. */
  started = 0;
  private deadline = 0;
  /** The deadline once a reply has started, when the first one was a shorter wait for the start. */
  private fullDeadline = 0;
  private extendOnFirstByte = false;
  /** How the last request ended; read when begin()'s `ended` is called, before the next begin. */
  outcome: ReplyOutcome = EMPTY;
  private ended: (() => void) | undefined;
  private signal: AbortSignal | undefined;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;

  get pending(): boolean {
    return this.ended !== undefined;
  }

  /**
   * Starts waiting for the reply to `sent`: it times out `timeoutMs` from now, or `startMs` from now
   * when not one byte has come by then (a shorter wait for the start of a reply, as a scan uses).
   * `ended` is called once, synchronously from whatever ends the wait (a reply read, the watchdog, an
   * abort, the line closing), with `outcome` set: no promise of its own, so a caller whose promise a
   * reply settles directly has one promise per transaction.
   */
  begin(
    unit: number,
    txId: number,
    request: Buffer,
    sent: Buffer,
    timeoutMs: number,
    startMs: number | undefined,
    signal: AbortSignal | undefined,
    ended: () => void,
  ): void {
    this.settle(CANCELLED);
    this.unit = unit;
    this.txId = txId;
    this.request = request;
    this.sent = sent;
    this.started = performance.now();
    this.fullDeadline = this.started + timeoutMs;
    this.extendOnFirstByte = startMs !== undefined && startMs < timeoutMs;
    this.deadline = this.extendOnFirstByte ? this.started + (startMs ?? 0) : this.fullDeadline;
    this.ended = ended;
    if (signal) {
      this.signal = signal;
      signal.addEventListener('abort', this.onAbort);
    }
    this.arm(this.deadline);
  }

  /** A reply byte came: a short wait for the start of the reply becomes the full timeout. */
  firstByte(): void {
    if (!this.extendOnFirstByte) return;
    this.extendOnFirstByte = false;
    this.deadline = this.fullDeadline;
  }

  /** Ends the pending request (if any) with this outcome. */
  settle(outcome: ReplyOutcome): void {
    const ended = this.ended;
    if (!ended) return;
    this.ended = undefined;
    if (this.signal) {
      this.signal.removeEventListener('abort', this.onAbort);
      this.signal = undefined;
    }
    this.outcome = outcome;
    ended();
  }

  /** Stops the watchdog (the line closes); a later request arms it again. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  private arm(at: number): void {
    // A watchdog that fires first re-arms itself for this deadline then.
    if (this.timer !== undefined && this.timerAt <= at) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(this.onTimer, Math.max(1, at - performance.now()));
    this.timer.unref();
  }

  private readonly onTimer = (): void => {
    this.timer = undefined;
    this.timerAt = Infinity;
    if (!this.ended) return;
    // Node's timers count whole milliseconds from the loop's clock and may fire up to 1 ms early.
    if (performance.now() + 1 >= this.deadline) this.settle(TIMEOUT);
    else this.arm(this.deadline);
  };

  private readonly onAbort = (): void => this.settle(CANCELLED);
}
