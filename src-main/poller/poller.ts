import { EventEmitter } from 'node:events';
import type { Device, Signal } from '../../src-preload/contract/domain.js';
import type { Sample } from '../store/samples-repo.js';
import type { DeviceReader } from './device-reader.js';

export interface PollTarget {
  device: Device;
  /** Enabled signals of enabled loads, by catalogue key (a key may appear on several loads). */
  signals: Signal[];
  reader: DeviceReader;
}

export interface DeviceStatus {
  uid: number;
  state: 'online' | 'stale' | 'error' | 'disabled';
  lastOkMs: number | null;
  lastError: string | null;
  cycles: number;
  failures: number;
  lastDurationMs: number;
}

export interface SampleSink {
  ingest(samples: readonly Sample[]): void;
  markStale(uids: readonly number[], t: number): void;
  flush(): void;
}

export interface PollerEvents {
  samples: [Sample[]];
  status: [DeviceStatus];
}

/**
 * Polls each device on its own schedule (next cycle starts after the previous one ended, so a slow bus
 * never piles up requests); the bus queue serialises devices that share a line. Each cycle's samples
 * are handed to the store as one batch.
 */
export class Poller extends EventEmitter<PollerEvents> {
  private readonly targets = new Map<
    number,
    { target: PollTarget; timer?: NodeJS.Timeout; abort: AbortController; status: DeviceStatus }
  >();
  private running = false;
  /** A device that fails this many cycles in a row is reported stale. */
  staleAfter = 1;

  constructor(private readonly sink: SampleSink) {
    super();
    // Each live stream (up to 32 SSE clients) and each UI session listens; all unsubscribe on close.
    this.setMaxListeners(100);
  }

  start(): void {
    this.running = true;
    for (const uid of this.targets.keys()) this.schedule(uid, 0);
  }

  add(target: PollTarget): void {
    this.remove(target.device.uid);
    const status: DeviceStatus = {
      uid: target.device.uid,
      state: target.device.enable ? 'stale' : 'disabled',
      lastOkMs: null,
      lastError: null,
      cycles: 0,
      failures: 0,
      lastDurationMs: 0,
    };
    this.targets.set(target.device.uid, { target, abort: new AbortController(), status });
    if (this.running && target.device.enable) this.schedule(target.device.uid, 0);
  }

  remove(uid: number): void {
    const t = this.targets.get(uid);
    if (!t) return;
    clearTimeout(t.timer);
    t.abort.abort();
    this.targets.delete(uid);
    void t.target.reader.close?.();
  }

  /** The reader polling a device (a P1 port is read by one reader only: others share its telegrams). */
  readerOf(uid: number): DeviceReader | undefined {
    return this.targets.get(uid)?.target.reader;
  }

  status(uid?: number): DeviceStatus[] {
    const all = [...this.targets.values()].map((t) => ({ ...t.status }));
    return uid === undefined ? all : all.filter((s) => s.uid === uid);
  }

  async stop(): Promise<void> {
    this.running = false;
    const closing: Promise<void>[] = [];
    for (const t of this.targets.values()) {
      clearTimeout(t.timer);
      t.abort.abort();
      if (t.target.reader.close) closing.push(t.target.reader.close().catch(() => undefined));
    }
    await Promise.all(closing);
    this.targets.clear();
  }

  private schedule(uid: number, delay: number): void {
    const t = this.targets.get(uid);
    if (!t || !this.running || !t.target.device.enable) return;
    clearTimeout(t.timer);
    t.timer = setTimeout(() => void this.cycle(uid), delay);
  }

  /** One poll of one device; exported for tests and for "read now" requests. */
  async cycle(uid: number): Promise<void> {
    const t = this.targets.get(uid);
    if (!t) return;
    const { target, status } = t;
    const started = Date.now();
    let samples: Sample[] = [];
    try {
      const reading = await target.reader.read(t.abort.signal);
      if (this.targets.get(uid) !== t) return; // removed while reading
      const now = Date.now();
      status.cycles++;
      if (reading.answered) {
        for (const s of target.signals) {
          const r = reading.values.get(s.key);
          if (!r) continue;
          if (r.status === 0) samples.push({ uid: s.uid, t: now, v: null, s: 0 });
          else samples.push({ uid: s.uid, t: now, v: r.value, s: r.status, ...(r.r ? { r: r.r } : {}) });
        }
        status.state = 'online';
        status.lastOkMs = now;
        status.failures = 0;
        status.lastError = reading.error ?? null;
        // A signal with no reading at all this cycle is stale, not silently old.
        const staleNow = samples.filter((x) => x.s === 0).map((x) => x.uid);
        samples = samples.filter((x) => x.s !== 0);
        this.sink.ingest(samples);
        this.sink.markStale(staleNow, now);
      } else {
        status.failures++;
        status.lastError = reading.error ?? 'no answer';
        if (status.failures >= this.staleAfter) {
          status.state = 'stale';
          this.sink.markStale(
            target.signals.map((s) => s.uid),
            now,
          );
        }
      }
    } catch (err) {
      status.failures++;
      status.state = 'error';
      status.lastError = (err as Error).message;
      this.sink.markStale(
        target.signals.map((s) => s.uid),
        Date.now(),
      );
    }
    status.lastDurationMs = Date.now() - started;
    try {
      this.sink.flush();
    } catch (err) {
      status.lastError = `store: ${(err as Error).message}`;
    }
    if (samples.length) this.emit('samples', samples);
    this.emit('status', { ...status });
    const elapsed = Date.now() - started;
    this.schedule(uid, Math.max(0, target.device.pollMs - elapsed));
  }
}
