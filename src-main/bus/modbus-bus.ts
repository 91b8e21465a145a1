// Imported, not the global: globalThis.Buffer is an accessor, a getter call per use on a hot path.
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { parseResponseIn, type PduResult } from '../protocol/modbus/pdu.js';
import { buildRtuFrame, RtuResponseParser, type RtuParseSink } from '../protocol/modbus/rtu-frame.js';
import { buildTcpFrame, TcpResponseParser, type TcpParseSink } from '../protocol/modbus/tcp-frame.js';
import { WRITTEN, type Transport } from '../transport/transport.js';
import { ModbusError, type ModbusErrorKind } from './errors.js';
import { BusMonitor, type FrameOutcome } from './monitor.js';
import { SerialQueue } from './queue.js';
import { ReplyWait, type ReplyFailure } from './reply-wait.js';

/** The bytes of a monitor row that has none (a timeout, a disconnect), and no PDU yet. */
const EMPTY = Buffer.alloc(0);
const NO_OPTIONS: RequestOptions = Object.freeze({});
const NO_CONTEXT: RequestContext = Object.freeze({});
const CLOSED: ReplyFailure = Object.freeze({ error: 'closed' });
const CRC: ReplyFailure = Object.freeze({ error: 'crc' });
/** Where a reply frame's PDU starts: after the unit (RTU), after the MBAP header (TCP). */
const RTU_PDU = 1;
const TCP_PDU = 7;

export type Framing = 'rtu' | 'tcp' | 'rtu-over-tcp';

export interface BusOptions {
  framing: Framing;
  /** Ceiling and initial value of the reply timeout, ms. */
  timeoutMs?: number;
  /** Adaptive timeouts never go below this, ms. */
  timeoutFloorMs?: number;
  /** Adaptive timeout = factor × mean latency + the reply's own wire time. */
  latencyFactor?: number;
  retries?: number;
  /** Quiet time between the end of one transaction and the next request, ms (RTU needs ≥ 3.5 chars). */
  interRequestDelayMs?: number;
  /** Reopen the transport by itself after it went away. */
  reconnect?: boolean;
  /**
   * Drop what the OS buffered before each RTU request (default). A scan turns this off: a late reply
   * is then still read (and matched to nobody), so the scan learns that unit exists.
   */
  flushStale?: boolean;
  reconnectIntervalMs?: number;
  monitorCapacity?: number;
}

/** The timing settings a technician may tune per bus while it runs. */
export type BusTimings = Pick<
  Required<BusOptions>,
  'timeoutMs' | 'timeoutFloorMs' | 'latencyFactor' | 'retries' | 'interRequestDelayMs'
>;

export interface RequestOptions {
  timeoutMs?: number;
  /**
   * Give up early when not one byte of a reply has arrived this long after the request left the
   * wire, ms; once a byte has, wait up to `timeoutMs`. A scan's silent ids cost this, not a reply time.
   */
  replyStartMs?: number;
  retries?: number;
  signal?: AbortSignal;
}

export type BusState = 'closed' | 'open' | 'disconnected';

/** A successful register read: what a listener of `onRegisters` gets. */
export interface RegistersRead {
  unit: number;
  fc: 3 | 4;
  address: number;
  values: number[];
  t: number;
}

/**
 * One physical line (a serial port or a TCP connection): a queue so only one request is on the wire,
 * reply matching with timeouts and retries, automatic reconnect, and the bus monitor.
 */
export class ModbusBus {
  readonly monitor: BusMonitor;
  private readonly queue = new SerialQueue();
  private readonly rtuParser = new RtuResponseParser();
  private readonly tcpParser = new TcpResponseParser();
  /** The request on the line waiting for its reply. */
  private readonly wait = new ReplyWait();
  /** The transaction `exchange` sent at once, while its reply is awaited (one at a time on a line). */
  private readonly now: Transaction<unknown> = {
    unit: 0,
    pdu: EMPTY,
    o: NO_OPTIONS,
    ctx: NO_CONTEXT,
    finish: asIs,
    resolve: () => undefined,
    reject: () => undefined,
  };
  private txId = 0;
  /** performance.now() when the line was last busy (monotonic: the quiet gap is a duration). */
  private lastActivity = 0;
  /** performance.now() of the last bytes received. */
  private rxAt = 0;
  /** Mean measured latency per unit address (NaN until it answered): indexed, not a Map lookup per reply. */
  private readonly latency = new Float64Array(256).fill(NaN);
  private _state: BusState = 'closed';
  private wantOpen = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly opts: Required<BusOptions>;
  private openPromise: Promise<void> | undefined;
  /** Counts close() calls, so an open that completes after a close is undone. */
  private closedCount = 0;
  private dirty = false;
  /** Consecutive timeouts of units that answered before, per unit: on TCP that smells of a half-open link. */
  private readonly silentStreak = new Map<number, number>();
  lastError: string | undefined;
  private readonly readListeners = new Set<(r: RegistersRead) => void>();
  /** Read requests made once, per unit address (see `readRequest`). */
  private readonly reads: (Map<number, ReadRequest> | undefined)[] = [];
  /** Requests written so far: a write that fails late ends its own request only. */
  private sends = 0;

  constructor(
    readonly transport: Transport,
    options: BusOptions,
  ) {
    const serial = transport.charTimeMs > 0;
    this.opts = {
      timeoutMs: serial ? 1000 : 2000,
      timeoutFloorMs: serial ? Math.max(50, Math.ceil(transport.charTimeMs * 20)) : 100,
      latencyFactor: 4,
      retries: 1,
      interRequestDelayMs: serial ? Math.max(2, Math.ceil(transport.charTimeMs * 4)) : 0,
      reconnect: true,
      reconnectIntervalMs: 500,
      monitorCapacity: 2000,
      flushStale: true,
      ...options,
    };
    this.monitor = new BusMonitor(transport.endpoint, this.opts.monitorCapacity);
    transport.on('data', (chunk) => this.onData(chunk));
    transport.on('close', (reason) => this.onClose(reason));
  }

  get endpoint(): string {
    return this.transport.endpoint;
  }

  get state(): BusState {
    return this._state;
  }

  get framing(): Framing {
    return this.opts.framing;
  }

  get queueLength(): number {
    return this.queue.length;
  }

  get timings(): BusTimings {
    const o = this.opts;
    return {
      timeoutMs: o.timeoutMs,
      timeoutFloorMs: o.timeoutFloorMs,
      latencyFactor: o.latencyFactor,
      retries: o.retries,
      interRequestDelayMs: o.interRequestDelayMs,
    };
  }

  /** Changes timings of a running bus; the next request uses them. */
  configure(patch: Partial<BusTimings>): void {
    for (const [k, v] of Object.entries(patch) as [keyof BusTimings, number | undefined][])
      if (v !== undefined) this.opts[k] = v;
  }

  /** Mean measured latency of a unit, ms (undefined until it answered once). */
  latencyOf(unit: number): number | undefined {
    const mean = this.latency[unit & 0xff]!;
    return Number.isNaN(mean) ? undefined : mean;
  }

  async open(): Promise<void> {
    this.wantOpen = true;
    await this.tryOpen();
  }

  private tryOpen(): Promise<void> {
    if (this.transport.isOpen) {
      this._state = 'open';
      return Promise.resolve();
    }
    const generation = this.closedCount;
    this.openPromise ??= this.transport
      .open()
      .then(async () => {
        // close() ran while the port was opening: do not keep a port nobody will use (or read).
        if (generation !== this.closedCount) {
          await this.transport.close();
          throw new Error(`${this.endpoint} was closed while opening`);
        }
        this._state = 'open';
        this.lastError = undefined;
        this.rtuParser.reset();
        this.tcpParser.reset();
      })
      .catch((err: Error) => {
        if (generation !== this.closedCount) throw err;
        this._state = 'disconnected';
        this.lastError = err.message;
        this.scheduleReconnect();
        throw err;
      })
      .finally(() => (this.openPromise = undefined));
    return this.openPromise;
  }

  async close(): Promise<void> {
    this.wantOpen = false;
    this.closedCount++;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.wait.settle(CLOSED);
    this.wait.stop();
    await this.transport.close();
    this._state = 'closed';
  }

  private onClose(reason: Error | undefined): void {
    if (!this.wantOpen) return;
    this._state = 'disconnected';
    this.lastError = reason?.message ?? 'link closed';
    this.monitor.record({
      dir: 'none',
      bytes: EMPTY,
      unit: 0,
      fc: 0,
      outcome: 'disconnected',
      note: this.lastError,
    });
    this.wait.settle({ error: 'disconnected', detail: this.lastError });
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (!this.wantOpen || !this.opts.reconnect || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.wantOpen && !this.transport.isOpen) this.tryOpen().catch(() => undefined);
    }, this.opts.reconnectIntervalMs);
    this.reconnectTimer.unref?.();
  }

  /** The timeout this bus would use now for a unit: adaptive once latency has been measured. */
  timeoutFor(unit: number, replyBytes = 8): number {
    const mean = this.latency[unit & 0xff]!;
    if (Number.isNaN(mean)) return this.opts.timeoutMs;
    const wire = replyBytes * this.transport.charTimeMs;
    return Math.round(
      Math.min(
        this.opts.timeoutMs,
        Math.max(this.opts.timeoutFloorMs, this.opts.latencyFactor * mean + wire),
      ),
    );
  }

  readRegisters(
    unit: number,
    fc: 3 | 4,
    address: number,
    count: number,
    o?: RequestOptions,
  ): Promise<number[]> {
    const cacheable = unit === (unit & 0xff) && address === (address & 0xffff) && count === (count & 0x7f);
    const read = cacheable ? this.readRequest(unit, fc, address, count) : undefined;
    if (read) return this.exchange(unit, read.pdu, o ?? NO_OPTIONS, read.ctx, ModbusBus.valuesOf);
    const req = Buffer.allocUnsafe(5);
    req[0] = fc;
    req.writeUInt16BE(address & 0xffff, 1);
    req.writeUInt16BE(count & 0xffff, 3);
    return this.exchange(unit, req, o ?? NO_OPTIONS, { address, count }, ModbusBus.valuesOf);
  }

  /**
   * The read of a unit's register block, made once: a poller asks for the same blocks every cycle,
   * and the request (PDU, RTU frame with its CRC, context) does not change between them.
   */
  private readRequest(unit: number, fc: 3 | 4, address: number, count: number): ReadRequest {
    const cache = (this.reads[unit] ??= new Map<number, ReadRequest>());
    // A Smi key (24 bits): the function's low bit, the address and the count (≤ 127).
    const key = ((fc & 1) << 23) | (address << 7) | count;
    const known = cache.get(key);
    if (known) return known;
    // A scan or a technician's reads of ever new ranges must not grow it without bound.
    if (cache.size >= 256) cache.clear();
    const pdu = Buffer.allocUnsafe(5);
    pdu[0] = fc;
    pdu.writeUInt16BE(address, 1);
    pdu.writeUInt16BE(count, 3);
    const frame = this.opts.framing === 'tcp' ? undefined : buildRtuFrame(unit, pdu);
    const read: ReadRequest = { pdu, ctx: { address, count, frame } };
    cache.set(key, read);
    return read;
  }

  /** Registers read by the poller's driver; the Modbus gateway answers its clients from them. Returns the unsubscribe. */
  onRegisters(listener: (r: RegistersRead) => void): () => void {
    this.readListeners.add(listener);
    return () => this.readListeners.delete(listener);
  }

  async writeRegister(unit: number, address: number, value: number, o?: RequestOptions): Promise<void> {
    const req = Buffer.from([6, address >> 8, address & 0xff, (value >> 8) & 0xff, value & 0xff]);
    await this.request(unit, req, o, { address, count: 1 });
  }

  async writeRegisters(
    unit: number,
    address: number,
    values: readonly number[],
    o?: RequestOptions,
  ): Promise<void> {
    const req = Buffer.alloc(6 + values.length * 2);
    req[0] = 16;
    req.writeUInt16BE(address, 1);
    req.writeUInt16BE(values.length, 3);
    req[5] = values.length * 2;
    values.forEach((v, i) => req.writeUInt16BE(v & 0xffff, 6 + i * 2));
    await this.request(unit, req, o, { address, count: values.length });
  }

  /** Sends a request to unit 0 (broadcast): no reply is expected. Used for wake-up frames before a scan. */
  broadcast(pdu: Buffer): Promise<void> {
    return this.queue.run(async () => {
      await this.ensureOpen(0, pdu[0] ?? 0);
      await this.quietGap();
      const frame = this.opts.framing === 'tcp' ? buildTcpFrame(++this.txId, 0, pdu) : buildRtuFrame(0, pdu);
      this.monitor.record({
        dir: 'tx',
        bytes: frame,
        unit: 0,
        fc: pdu[0] ?? 0,
        note: 'broadcast',
      });
      await this.transport.write(frame);
      this.lastActivity = performance.now() + frame.length * this.transport.charTimeMs;
    });
  }

  /**
   * Sends a request PDU and resolves with the interpreted reply; exceptions and failures reject with
   * a ModbusError carrying the context. Retries only what a retry can fix (timeouts, CRC errors).
   */
  request(
    unit: number,
    pdu: Buffer,
    o: RequestOptions = NO_OPTIONS,
    ctx: RequestContext = NO_CONTEXT,
  ): Promise<Answer> {
    return this.exchange(unit, pdu, o, ctx, asIs);
  }

  /**
   * One transaction with its retries. A request that finds the line free and ready (open, no quiet
   * gap left to wait, nothing stale to flush) goes out at once and its reply settles the caller's
   * promise directly: one promise per transaction, as a bare request/reply loop has. Every other
   * request, and the retries of any, take `attempts`.
   */
  private exchange<T>(
    unit: number,
    pdu: Buffer,
    o: RequestOptions,
    ctx: RequestContext,
    finish: Finish<T>,
  ): Promise<T> {
    if (
      this.queue.free &&
      o.signal === undefined &&
      !this.dirty &&
      this.transport.isOpen &&
      !(this.opts.interRequestDelayMs > 0 && this.gapLeft() > 0)
    ) {
      this.queue.acquire();
      const now = this.now as Transaction<T>;
      now.unit = unit;
      now.pdu = pdu;
      now.o = o;
      now.ctx = ctx;
      now.finish = finish;
      // One executor made with the bus: a closure per request would capture the arguments above.
      const promise = new Promise<T>(this.nowPromised as Executor<T>);
      try {
        this.send(unit, pdu, o, ctx, this.nowEnded);
      } catch (e) {
        // A wait begun ends as a failed write (and frees the line); before that, nothing was sent.
        if (this.wait.pending) this.wait.settle({ error: 'disconnected', detail: (e as Error).message });
        else {
          this.queue.release();
          now.reject(e);
        }
      }
      return promise;
    }
    return this.attempts(unit, pdu, o, ctx, finish, 0, undefined, false);
  }

  private readonly nowPromised: Executor<unknown> = (resolve, reject) => {
    this.now.resolve = resolve;
    this.now.reject = reject;
  };

  /** The request sent by `exchange` at once has ended: its answer, its error, or its retries. */
  private readonly nowEnded = (): void => {
    const { unit, pdu, o, ctx, finish, resolve, reject } = this.now;
    let value: unknown;
    try {
      value = finish(this, this.interpret(unit, pdu, ctx), unit, pdu, ctx);
    } catch (e) {
      if (e instanceof ModbusError && retryable(e) && (o.retries ?? this.opts.retries) > 0) {
        // Called from inside the event that ended the wait (a reply being parsed, the watchdog): the
        // retry starts after it, with the line still this request's.
        resolve(Promise.resolve().then(() => this.attempts(unit, pdu, o, ctx, finish, 1, e, true)));
        return;
      }
      this.queue.release();
      reject(e);
      return;
    }
    this.queue.release();
    resolve(value);
  };

  /**
   * Attempts `first` … `retries` of a transaction, one after another; takes the line first unless
   * the caller `holds` it, and frees it when they end.
   */
  private async attempts<T>(
    unit: number,
    pdu: Buffer,
    o: RequestOptions,
    ctx: RequestContext,
    finish: Finish<T>,
    first: number,
    earlier: ModbusError | undefined,
    holds: boolean,
  ): Promise<T> {
    if (!holds) {
      const turn = this.queue.acquire();
      if (turn) await turn;
    }
    try {
      const retries = o.retries ?? this.opts.retries;
      const fc = pdu[0] ?? 0;
      let last = earlier;
      for (let attempt = first; attempt <= retries; attempt++) {
        if (o.signal?.aborted) throw this.err('cancelled', unit, pdu, ctx);
        try {
          // Awaited only when there is something to wait for: an await is a promise and a hop.
          if (!this.transport.isOpen) await this.ensureOpen(unit, fc);
          if (this.opts.interRequestDelayMs > 0 && this.gapLeft() > 0) await this.quietGap();
          if (this.dirty && this.opts.framing !== 'tcp') {
            // Stale bytes from an earlier late reply must not be taken for this one.
            if (this.opts.flushStale) await this.transport.flush();
            this.dirty = false;
          }
          await new Promise<void>((ended) => this.send(unit, pdu, o, ctx, ended));
          return finish(this, this.interpret(unit, pdu, ctx), unit, pdu, ctx);
        } catch (e) {
          if (!(e instanceof ModbusError)) throw e;
          last = e;
          if (!retryable(e)) throw e;
        }
      }
      throw last ?? this.err('timeout', unit, pdu, ctx);
    } finally {
      this.queue.release();
    }
  }

  private err(
    kind: ModbusErrorKind,
    unit: number,
    pdu: Buffer,
    ctx: RequestContext,
    detail?: string,
    exceptionCode?: number,
  ): ModbusError {
    return new ModbusError(
      kind,
      { endpoint: this.endpoint, unit, fc: pdu[0] ?? 0, ...rangeOf(ctx), exceptionCode },
      detail,
    );
  }

  private async ensureOpen(unit: number, fc: number): Promise<void> {
    if (this.transport.isOpen) return;
    try {
      await this.tryOpen();
    } catch (e) {
      throw new ModbusError('disconnected', { endpoint: this.endpoint, unit, fc }, (e as Error).message);
    }
  }

  /** How long the line must stay quiet before the next request, ms (≤ 0: not at all). */
  private gapLeft(): number {
    return this.lastActivity + this.opts.interRequestDelayMs - performance.now();
  }

  private async quietGap(): Promise<void> {
    const wait = this.gapLeft();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }

  /** Writes the request and starts waiting for its reply; `ended` is called when the wait ends. */
  private send(unit: number, pdu: Buffer, o: RequestOptions, ctx: RequestContext, ended: () => void): void {
    const fc = pdu[0] ?? 0;
    const rtu = this.opts.framing !== 'tcp';
    const txId = rtu ? 0 : (this.txId = (this.txId + 1) & 0xffff);
    const frame = rtu ? (ctx.frame ?? buildRtuFrame(unit, pdu)) : buildTcpFrame(txId, unit, pdu);
    if (rtu && this.rtuParser.pending)
      this.monitor.record({
        dir: 'rx',
        bytes: this.rtuParser.reset(),
        unit,
        fc,
        outcome: 'garbage',
        note: 'stale bytes dropped',
      });
    const expectedReply = fc === 3 || fc === 4 ? 5 + 2 * (ctx.count ?? 1) : 8;
    const wire = frame.length * this.transport.charTimeMs;
    const timeout = o.timeoutMs ?? this.timeoutFor(unit, expectedReply) + wire;
    const start = o.replyStartMs === undefined ? undefined : Math.min(timeout, o.replyStartMs + wire);
    this.wait.begin(unit, txId, pdu, frame, timeout, start, o.signal, ended);
    const sent = ++this.sends;
    const written = this.transport.write(frame);
    // Recorded once the request is on its way: the peer answers meanwhile (no reply can come before
    // this returns to the event loop, so the monitor still shows the request first).
    this.monitor.record({ dir: 'tx', bytes: frame, unit, fc }, this.wait.started);
    if (written !== WRITTEN)
      written.catch((e: Error) => {
        // Only this request: a write that fails late must not end the next one.
        if (this.sends === sent) this.wait.settle({ error: 'disconnected', detail: e.message });
      });
  }

  /** What the ended wait means: the reply's interpretation, or a ModbusError thrown. */
  private interpret(unit: number, pdu: Buffer, ctx: RequestContext): Answer {
    const fc = pdu[0] ?? 0;
    const result = this.wait.outcome;
    const started = this.wait.started;
    // The line was last busy when a reply byte came (onData keeps that) or, if none did, when the
    // request's last character left: the RTU silence before the next request runs from there.
    // A reply is settled by onData right after it noted the time: no clock read here.
    const ms = (Buffer.isBuffer(result) ? this.rxAt : performance.now()) - started;
    this.lastActivity =
      this.rxAt >= started ? this.rxAt : started + this.wait.sent.length * this.transport.charTimeMs;
    if (!Buffer.isBuffer(result)) {
      // A late or garbled reply may still be on its way: drop what the OS holds before the next request.
      this.dirty = true;
      const outcome: FrameOutcome =
        result.error === 'timeout'
          ? 'timeout'
          : result.error === 'crc'
            ? 'crc-error'
            : result.error === 'malformed'
              ? 'malformed'
              : 'disconnected';
      if (result.error === 'timeout') {
        this.monitor.record({
          dir: 'none',
          bytes: EMPTY,
          unit,
          fc,
          durationMs: round(ms),
          outcome: 'timeout',
        });
        this.suspectHalfOpen(unit);
      }
      if (result.error !== 'cancelled' && result.error !== 'closed') this.monitor.account(unit, outcome, ms);
      throw this.err(result.error, unit, pdu, ctx, result.detail);
    }
    // The reply frame's PDU, read in place.
    const tcp = this.opts.framing === 'tcp';
    const parsed = parseResponseIn(
      pdu,
      result,
      tcp ? TCP_PDU : RTU_PDU,
      tcp ? result.length : result.length - 2,
    );
    if (this.silentStreak.size) this.silentStreak.delete(unit);
    const prev = this.latency[unit & 0xff]!;
    this.latency[unit & 0xff] = Number.isNaN(prev) ? ms : prev * 0.8 + ms * 0.2;
    if (parsed.kind === 'exception') {
      this.monitor.account(unit, 'exception', ms);
      throw this.err('exception', unit, pdu, ctx, undefined, parsed.code);
    }
    if (parsed.kind === 'malformed') {
      this.monitor.account(unit, 'malformed', ms);
      throw this.err('malformed', unit, pdu, ctx, parsed.reason);
    }
    if (!this.monitor.holdOk(ms)) this.monitor.account(unit, 'ok', ms);
    return parsed;
  }

  /** A read's registers, told to the readers of registers (the Modbus gateway) as well. */
  private static valuesOf(
    bus: ModbusBus,
    answer: Answer,
    unit: number,
    pdu: Buffer,
    ctx: RequestContext,
  ): number[] {
    const fc = pdu[0] as 3 | 4;
    if (answer.kind !== 'registers')
      throw new ModbusError('malformed', { endpoint: bus.endpoint, unit, fc, ...rangeOf(ctx) });
    if (bus.readListeners.size) {
      const { values } = answer;
      const address = ctx.address ?? 0;
      for (const l of bus.readListeners) l({ unit, fc, address, values, t: Date.now() });
    }
    return answer.values;
  }

  /**
   * A peer that vanished without FIN/RST (cable pulled behind a gateway) leaves a TCP socket that takes
   * writes and never answers. When a unit that answered before misses three replies in a row, drop the
   * connection and let the reconnect open a fresh one.
   */
  private suspectHalfOpen(unit: number): void {
    if (this.transport.charTimeMs > 0 || Number.isNaN(this.latency[unit & 0xff]!)) return;
    const n = (this.silentStreak.get(unit) ?? 0) + 1;
    this.silentStreak.set(unit, n);
    if (n < 3) return;
    this.silentStreak.clear();
    this.monitor.record({
      dir: 'none',
      bytes: EMPTY,
      unit,
      fc: 0,
      outcome: 'disconnected',
      note: 'no replies: reconnecting',
    });
    void this.transport.close();
  }

  /** The request waiting for a reply, if one is. */
  private get waiting(): ReplyWait | undefined {
    return this.wait.pending ? this.wait : undefined;
  }

  private onData(chunk: Buffer): void {
    this.rxAt = performance.now();
    this.lastActivity = this.rxAt;
    this.wait.firstByte();
    if (this.opts.framing === 'tcp') this.tcpParser.feed(chunk, this.tcpSink);
    else this.rtuParser.feed(chunk, this.rtuSink);
  }

  /** Bytes that cannot be (part of) a reply. */
  private onGarbage(raw: Buffer): void {
    const w = this.waiting;
    this.monitor.record({ dir: 'rx', bytes: raw, unit: w?.unit ?? 0, fc: 0, outcome: 'garbage' });
    if (w) this.monitor.countGarbage(w.unit);
  }

  /** A whole frame no request waits for: another transaction's, another unit's, or nobody's. */
  private recordStray(raw: Buffer, unit: number, fc: number, note: string): void {
    this.monitor.record({ dir: 'rx', bytes: raw, unit, fc, outcome: 'wrong-unit', note });
  }

  private readonly tcpSink: TcpParseSink = {
    frame: (raw, transactionId, unit) => {
      const w = this.waiting;
      if (w && transactionId === w.txId && unit === w.unit) {
        this.recordReply(raw, unit, TCP_PDU, w);
        w.settle(raw);
        return;
      }
      this.recordStray(raw, unit, raw[TCP_PDU]!, `transaction ${transactionId} not pending`);
    },
    garbage: (raw) => this.onGarbage(raw),
  };

  private readonly rtuSink: RtuParseSink = {
    frame: (raw, unit) => {
      const w = this.waiting;
      // An adapter echoing our own request on a 2-wire line; a write-single reply legitimately equals it.
      const echoable = w && w.request[0] !== 6 && w.request[0] !== 5;
      if (echoable && raw.length === w.sent.length && raw.equals(w.sent)) return;
      if (w && unit === w.unit) {
        this.recordReply(raw, unit, RTU_PDU, w);
        w.settle(raw);
        return;
      }
      this.recordStray(raw, unit, raw[RTU_PDU]!, w ? `expected unit ${w.unit}` : 'no request pending');
      if (w) this.monitor.countWrongUnit(w.unit);
    },
    crcError: (raw) => {
      this.monitor.record({
        dir: 'rx',
        bytes: raw,
        unit: raw[0] ?? 0,
        fc: raw[1] ?? 0,
        outcome: 'crc-error',
      });
      this.wait.settle(CRC);
    },
    garbage: (raw) => this.onGarbage(raw),
  };

  /** A reply's row; its PDU starts at `at` in `raw`. */
  private recordReply(raw: Buffer, unit: number, at: number, w: ReplyWait): void {
    const fc = raw[at]!;
    // The usual reply: its row is stored once the next request is on its way (see BusMonitor.hold).
    if (fc === w.request[0]) {
      this.monitor.hold(raw, unit, fc, round(this.rxAt - w.started), this.rxAt);
      return;
    }
    const exception = (fc & 0x80) !== 0;
    this.monitor.record(
      {
        dir: 'rx',
        bytes: raw,
        unit,
        fc,
        outcome: exception ? 'exception' : 'ok',
        exceptionCode: exception ? raw[at + 1] : undefined,
        durationMs: round(this.rxAt - w.started),
        note: w.request[0] !== (fc & 0x7f) ? 'function differs from request' : undefined,
      },
      this.rxAt,
    );
  }
}

/** A reply a request resolves with: registers read or a write confirmed. */
type Answer = PduResult & { kind: 'registers' | 'written' };

type Finish<T> = (bus: ModbusBus, answer: Answer, unit: number, pdu: Buffer, ctx: RequestContext) => T;

/** What a request is about, for its errors: the register range. */
interface RequestContext {
  address?: number;
  count?: number;
  /** The request's RTU frame, made once with the request (a read's). */
  frame?: Buffer;
}

/** A read request made once: its PDU and its context, which holds its RTU frame. */
interface ReadRequest {
  pdu: Buffer;
  ctx: RequestContext;
}

/** The register range of a request, as its errors tell it. */
function rangeOf(ctx: RequestContext): Pick<RequestContext, 'address' | 'count'> {
  return ctx.address === undefined && ctx.count === undefined
    ? {}
    : { address: ctx.address, count: ctx.count };
}

const asIs: Finish<Answer> = (_bus, answer) => answer;

/** The request a bus sent at once and what to do with its outcome. */
interface Transaction<T> {
  unit: number;
  pdu: Buffer;
  o: RequestOptions;
  ctx: RequestContext;
  finish: Finish<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (e: unknown) => void;
}

type Executor<T> = (resolve: (value: T | PromiseLike<T>) => void, reject: (e: unknown) => void) => void;

/** What a retry can fix: a reply that did not come or came damaged. */
function retryable(e: ModbusError): boolean {
  return e.kind === 'timeout' || e.kind === 'crc' || e.kind === 'malformed';
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
