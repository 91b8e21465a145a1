import type { Engine } from '../../engine.js';
import type { RawCursor } from '../../store/raw-samples.js';
import { logger } from '../../util/log.js';
import type { SignalDirectory } from '../directory.js';
import type { InfluxSettings } from '../settings.js';
import { IntegrationState, type Integration, type IntegrationStatus } from '../status.js';
import { toLine } from './line-protocol.js';

const log = logger('influx');
/** Samples younger than this are left for the next batch: a poll cycle's flush may still be on its way. */
const SETTLE_MS = 1500;
const INTERVAL_MS = 1000;
const MAX_BACKOFF_MS = 30_000;
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * Writes the store's raw samples to InfluxDB in line protocol, batched, from a cursor kept in the store:
 * the samples table is the backlog, so after an outage (of the database or of this process) everything
 * still within the raw retention is sent and the database ends complete. Retries with backoff.
 */
export class InfluxWriter implements Integration {
  readonly state = new IntegrationState('influx');
  private cursor: RawCursor;
  private readonly cursorKey: string;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private backoffMs = 0;
  private readonly writeUrl: string;
  private readonly headers: Record<string, string>;
  private readonly abort = new AbortController();
  private readonly off: () => void;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly s: InfluxSettings,
    private readonly engine: Engine,
    private readonly directory: SignalDirectory,
  ) {
    const base = new URL(s.url);
    const q = new URLSearchParams();
    let path: string;
    if (s.version === 1) {
      path = '/write';
      q.set('db', s.database ?? '');
      q.set('precision', 'ms');
    } else {
      path = '/api/v2/write';
      q.set('org', s.org ?? '');
      q.set('bucket', s.bucket ?? '');
      q.set('precision', 'ms');
    }
    base.pathname = base.pathname.replace(/\/$/, '') + path;
    base.search = q.toString();
    this.writeUrl = base.toString();
    this.headers = { 'content-type': 'text/plain; charset=utf-8' };
    if (s.token) this.headers.authorization = `Token ${s.token}`;
    else if (s.username)
      this.headers.authorization = `Basic ${Buffer.from(`${s.username}:${s.password ?? ''}`).toString('base64')}`;
    this.state.target = `${new URL(s.url).origin} ${s.version === 1 ? `db=${s.database}` : `org=${s.org} bucket=${s.bucket}`}`;
    // A cursor per target: pointing at another database starts there from now, not from last week.
    this.cursorKey = `influx.cursor.${this.state.target}`;
    this.cursor = this.loadCursor();
    this.state.connected = false;
    // The sample stream wakes the writer; the store is what it reads.
    const onSamples = (): void => this.kick();
    engine.poller.on('samples', onSamples);
    this.off = () => engine.poller.off('samples', onSamples);
    this.schedule(0);
  }

  private loadCursor(): RawCursor {
    try {
      const v = JSON.parse(this.engine.store.meta.get(this.cursorKey) ?? 'null') as RawCursor | null;
      if (v && Number.isFinite(v.t) && Number.isFinite(v.uid)) return v;
    } catch {
      // fall through: a damaged cursor restarts from now
    }
    const c = { t: Date.now() - SETTLE_MS, uid: 0 };
    this.engine.store.meta.set(this.cursorKey, JSON.stringify(c));
    return c;
  }

  private busy = false;

  private kick(): void {
    if (this.backoffMs === 0 && !this.timer && !this.busy) this.schedule(INTERVAL_MS);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.busy) return;
      this.busy = true;
      this.running = this.cycle().finally(() => (this.busy = false));
    }, ms);
    this.timer.unref();
  }

  /** Sends batches until caught up; on failure waits (1 s, 2 s, 4 s … 30 s) and tries the same batch again. */
  private async cycle(): Promise<void> {
    const raw = this.engine.store.raw;
    try {
      for (;;) {
        if (this.stopped) return;
        const until = Date.now() - SETTLE_MS;
        const rows = raw.after(this.cursor, until, this.s.batchSize);
        const last = rows.at(-1);
        if (!last) break;
        const lines: string[] = [];
        for (const r of rows) {
          const info = this.directory.signal(r.uid);
          if (!info) continue; // a removed signal: its samples have no labels left
          const line = toLine({
            measurement: info.load.label,
            tags: {
              device: info.device.label,
              device_uid: String(info.device.uid),
              load: info.load.label,
              load_uid: String(info.load.uid),
              key: info.signal.key,
              unit: info.signal.unit,
            },
            value: r.v,
            t: r.t,
          });
          if (line) lines.push(line);
        }
        if (lines.length) await this.post(lines.join('\n'));
        this.cursor = { t: last.t, uid: last.uid };
        this.engine.store.meta.set(this.cursorKey, JSON.stringify(this.cursor));
        this.state.sent += lines.length;
        this.state.connected = true;
        this.backoffMs = 0;
        if (rows.length < this.s.batchSize) break;
      }
      this.state.backlog = raw.countAfter(this.cursor.t, Date.now());
    } catch (err) {
      this.state.connected = false;
      this.state.fail(err);
      this.state.backlog = raw.countAfter(this.cursor.t, Date.now());
      this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs ? this.backoffMs * 2 : 1000);
      log.warn({ err: (err as Error).message, retryMs: this.backoffMs }, 'influx write failed; will retry');
      this.schedule(this.backoffMs);
      return;
    }
    this.schedule(INTERVAL_MS);
  }

  private async post(body: string): Promise<void> {
    const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]);
    const r = await fetch(this.writeUrl, { method: 'POST', headers: this.headers, body, signal });
    if (r.status === 204 || r.status === 200) return;
    const text = (await r.text().catch(() => '')).slice(0, 300);
    throw new Error(`InfluxDB answered ${r.status}: ${text}`);
  }

  status(): IntegrationStatus {
    return this.state.snapshot(true);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.off();
    clearTimeout(this.timer);
    this.abort.abort();
    await this.running.catch(() => undefined);
  }
}

export function startInflux(
  s: InfluxSettings,
  engine: Engine,
  directory: SignalDirectory,
): Promise<Integration> {
  return Promise.resolve(new InfluxWriter(s, engine, directory));
}
