import type { MbusFrame } from '../protocol/mbus/frame.js';
import { MbusFrameParser, type MbusParseEvent } from '../protocol/mbus/parser.js';
import type { Transport } from '../transport/transport.js';

/** What came back after a request, as the link layer sees it. */
export type MbusReply =
  | { kind: 'timeout' }
  | { kind: 'ack' }
  | { kind: 'frame'; frame: MbusFrame; raw: Buffer }
  /** Bytes that are not exactly one clean reply: noise, a bad checksum, or several slaves at once. */
  | { kind: 'garbled'; raw: Buffer; reason: string };

/**
 * 'frame': the first complete frame wins and noise around it is ignored (REQ_UD2).
 * 'strict': listen for the whole answer window and call anything but one lone reply garbled — how
 * collisions between slaves show up during a secondary-address search.
 */
export type ReplyMode = 'frame' | 'strict';

export interface MbusLinkOptions {
  /** Added to every response window: slow level converters, radio bridges, network gateways. */
  extraLatencyMs?: number;
  /** Sees every byte sent and received (bus monitor). */
  onTraffic?: (direction: 'tx' | 'rx', bytes: Buffer) => void;
}

export class MbusLinkClosedError extends Error {
  constructor(readonly endpoint: string) {
    super(`${endpoint} closed during an M-Bus exchange`);
    this.name = 'MbusLinkClosedError';
  }
}

/**
 * One M-Bus line: a queue so only one request is on the wire at a time, and the
 * "send, then wait for the reply with EN 13757-2 timing" primitive.
 */
export class MbusLink {
  private tail: Promise<unknown> = Promise.resolve();
  /** A slave answers within 330 bit times + 50 ms (EN 13757-2). */
  readonly responseTimeoutMs: number;
  /** Longest silence tolerated inside a frame before it counts as cut short. */
  readonly gapTimeoutMs: number;

  constructor(
    readonly transport: Transport,
    private readonly options: MbusLinkOptions = {},
  ) {
    const bitMs = transport.charTimeMs / 11;
    // Network transports report charTimeMs 0: their latency is unknown, so give them a margin.
    const extra = options.extraLatencyMs ?? (transport.charTimeMs === 0 ? 250 : 0);
    this.responseTimeoutMs = Math.ceil(330 * bitMs + 50 + extra);
    this.gapTimeoutMs = Math.ceil(Math.max(50, 20 * transport.charTimeMs) + extra);
  }

  /** Runs `job` when every earlier job has finished; jobs never overlap on the wire. */
  enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.tail.then(job, job);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Sends `request` and waits for the reply. Call only from inside an enqueued job. */
  async exchange(request: Buffer, mode: ReplyMode): Promise<MbusReply> {
    const t = this.transport;
    // Whatever is still buffered belongs to an earlier exchange or to noise.
    await t.flush();
    return new Promise<MbusReply>((resolve, reject) => {
      const parser = new MbusFrameParser();
      const events: MbusParseEvent[] = [];
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      let deadline = Number.POSITIVE_INFINITY;
      const cleanup = (): void => {
        settled = true;
        clearTimeout(timer);
        t.off('data', onData);
        t.off('close', onClose);
      };
      const finish = (): void => {
        if (settled) return;
        cleanup();
        events.push(...parser.flush());
        resolve(classify(events, mode));
      };
      const arm = (ms: number): void => {
        clearTimeout(timer);
        timer = setTimeout(finish, ms);
      };
      const onData = (chunk: Buffer): void => {
        this.options.onTraffic?.('rx', chunk);
        events.push(...parser.push(chunk));
        if (parser.pending > 0) arm(this.gapTimeoutMs);
        else if (mode === 'frame' && events.some(isReplyFrame)) finish();
        // Noise alone: the real reply may still come within the response window.
        else if (mode === 'frame') arm(Math.max(this.gapTimeoutMs, deadline - Date.now()));
        // A second slave may start as late as one response window after the first.
        else arm(this.responseTimeoutMs);
      };
      const onClose = (): void => {
        if (settled) return;
        cleanup();
        reject(new MbusLinkClosedError(t.endpoint));
      };
      t.on('data', onData);
      t.on('close', onClose);
      this.options.onTraffic?.('tx', request);
      t.write(request).then(
        () => {
          deadline = Date.now() + this.responseTimeoutMs;
          if (!settled && events.length === 0 && parser.pending === 0) arm(this.responseTimeoutMs);
        },
        (err: unknown) => {
          if (settled) return;
          cleanup();
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  }
}

function isReplyFrame(e: MbusParseEvent): boolean {
  return (
    e.kind === 'frame' && (e.frame.type === 'long' || e.frame.type === 'control' || e.frame.type === 'ack')
  );
}

function classify(events: MbusParseEvent[], mode: ReplyMode): MbusReply {
  if (events.length === 0) return { kind: 'timeout' };
  const raw = Buffer.concat(events.map((e) => e.raw));
  const first = events[0];
  if (mode === 'strict') {
    if (events.length === 1 && first?.kind === 'frame') return toReply(first.frame, first.raw);
    return { kind: 'garbled', raw, reason: describe(events) };
  }
  const frame = events.find(isReplyFrame);
  if (frame?.kind === 'frame') return toReply(frame.frame, frame.raw);
  return { kind: 'garbled', raw, reason: describe(events) };
}

function toReply(frame: MbusFrame, raw: Buffer): MbusReply {
  return frame.type === 'ack' ? { kind: 'ack' } : { kind: 'frame', frame, raw };
}

function describe(events: MbusParseEvent[]): string {
  return events
    .map((e) =>
      e.kind === 'frame'
        ? `${e.frame.type} frame`
        : e.kind === 'error'
          ? e.error.message
          : `${e.raw.length} byte(s) of noise`,
    )
    .join(', ');
}
