import type {
  HistoryRecord,
  Realtime,
  SampleStatus,
  SignalDeadband,
} from '../../src-preload/contract/domain.js';
import type { Db } from './db.js';
import type { RawSamples } from './raw-samples.js';
import { passesDeadband, type Deadband, type Stored } from './deadband.js';
import { rollupRange } from './rollup.js';

export interface Sample {
  uid: number;
  t: number;
  v: number | string | boolean | null;
  s: SampleStatus;
  r?: 0 | 1;
}

export interface IngestStats {
  batches: number;
  samples: number;
  lastFlushMs: number;
  lastError: string | null;
}

/**
 * The write path: samples queue in memory and are written in ONE transaction per flush
 * (each poll cycle or at the latest every second), never one transaction per sample.
 */
export class SamplesRepo {
  private pending: Sample[] = [];
  private stale: { uids: number[]; t: number }[] = [];
  private rolledUntilMs: number;
  readonly stats: IngestStats = { batches: 0, samples: 0, lastFlushMs: 0, lastError: null };
  private readonly upsertRt;
  private readonly markStaleStmt;
  /** Signals with a deadband, and the last raw sample stored of each (known since this start). */
  private readonly deadbands = new Map<number, Deadband>();
  private readonly lastStored = new Map<number, Stored>();

  constructor(
    private readonly db: Db,
    private readonly raw: RawSamples,
  ) {
    this.upsertRt = db.prepare(
      `INSERT INTO realtime (uid, v, sv, t, r, s) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (uid) DO UPDATE SET v = excluded.v, sv = excluded.sv, t = excluded.t, r = excluded.r, s = excluded.s
       WHERE excluded.t >= realtime.t`,
    );
    this.markStaleStmt = db.prepare('UPDATE realtime SET s = 0 WHERE uid = ?');
    const lastP = db.prepare('SELECT max(p) FROM history').pluck().get() as number | null;
    const lastSample = raw.newest();
    // Resume roll-ups where they stopped, so a restart fills in the minutes it missed.
    this.rolledUntilMs = lastP
      ? lastP * 1000
      : lastSample
        ? Math.floor(lastSample / 60_000) * 60_000
        : Math.floor(Date.now() / 60_000) * 60_000;
  }

  ingest(samples: readonly Sample[]): void {
    for (const s of samples) this.pending.push(s);
  }

  /** Sets (or with undefined clears) a signal's deadband; it applies to samples flushed from now on. */
  setDeadband(uid: number, d: SignalDeadband | undefined): void {
    if (d) this.deadbands.set(uid, { delta: d.delta, maxGapMs: d.maxGapS * 1000 });
    else this.deadbands.delete(uid);
    this.lastStored.delete(uid);
  }

  markStale(uids: readonly number[], t: number): void {
    if (uids.length) this.stale.push({ uids: [...uids], t });
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /**
   * Writes everything queued, the roll-ups of closed minutes and the blocks that are due in ONE
   * transaction (a commit per poll cycle, not three). Returns the number of samples written.
   */
  flush(now = Date.now()): number {
    const batch = this.pending;
    const stale = this.stale;
    this.pending = [];
    this.stale = [];
    // Last stored samples move on only once the batch committed: a batch kept for a retry must not
    // be filtered against itself. So does the roll-up mark: a roll-up rolled back is done again.
    const stored = new Map<number, Stored>();
    const rolledBefore = this.rolledUntilMs;
    try {
      // Cleared first: a roll-up or block error inside this flush stays reported.
      if (batch.length) this.stats.lastError = null;
      this.db
        .transaction(() => {
          for (const s of batch) {
            const num = typeof s.v === 'number' ? s.v : typeof s.v === 'boolean' ? (s.v ? 1 : 0) : null;
            const str = typeof s.v === 'string' ? s.v : null;
            this.upsertRt.run(s.uid, num, str, s.t, s.r ?? 0, s.s);
            if (s.s !== 1) continue;
            const v = num !== null && Number.isFinite(num) ? num : str;
            if (v === null) continue;
            // The deadband thins the raw samples only; realtime above always has the latest value.
            const d = this.deadbands.get(s.uid);
            if (d) {
              const sample = { t: s.t, v };
              if (!passesDeadband(stored.get(s.uid) ?? this.lastStored.get(s.uid), sample, d)) continue;
              stored.set(s.uid, sample);
            }
            if (typeof v === 'number') this.raw.insert(s.uid, s.t, v);
            else this.raw.insertText(s.uid, s.t, v);
          }
          for (const st of stale) for (const uid of st.uids) this.markStaleStmt.run(uid);
          // Each in a savepoint of its own (nested transactions): a failure there keeps the samples.
          try {
            this.rollupClosedPeriods(now);
          } catch (err) {
            this.stats.lastError = (err as Error).message;
          }
          this.closeBlocks(now);
        })
        .immediate();
      for (const [uid, last] of stored) this.lastStored.set(uid, last);
      if (batch.length) {
        this.stats.batches++;
        this.stats.samples += batch.length;
        this.stats.lastFlushMs = now;
      }
    } catch (err) {
      this.rolledUntilMs = rolledBefore;
      // Disk full or database locked: keep the batch for the next flush instead of losing it,
      // but bound what we hold so a long outage cannot exhaust memory.
      this.pending = [...batch, ...this.pending].slice(-200_000);
      this.stale = [...stale, ...this.stale].slice(-1000);
      this.stats.lastError = (err as Error).message;
      throw err;
    }
    return batch.length;
  }

  /** Moves due raw samples into compressed blocks; a failure leaves them as rows for the next try. */
  private closeBlocks(now: number): void {
    try {
      this.raw.closeBlocks(now);
    } catch (err) {
      this.stats.lastError = (err as Error).message;
    }
  }

  /** Rolls up every 60-s period that ended at least 2 s ago and has not been rolled up yet. */
  rollupClosedPeriods(now = Date.now()): void {
    const closedUntil = Math.floor((now - 2000) / 60_000) * 60_000;
    if (closedUntil <= this.rolledUntilMs) return;
    rollupRange(this.db, this.raw, this.rolledUntilMs, closedUntil);
    this.rolledUntilMs = closedUntil;
  }

  realtime(uids?: readonly number[]): Realtime[] {
    const rows = this.db
      .prepare(
        `SELECT s.uid, s.si, r.v, r.sv, r.t, r.r, r.s FROM signals s JOIN realtime r ON r.uid = s.uid ORDER BY s.uid`,
      )
      .all() as {
      uid: number;
      si: number;
      v: number | null;
      sv: string | null;
      t: number;
      r: 0 | 1;
      s: SampleStatus;
    }[];
    const set = uids ? new Set(uids) : undefined;
    return rows
      .filter((r) => !set || set.has(r.uid))
      .map((r) => ({ uid: r.uid, si: r.si, v: r.sv ?? r.v, t: r.t, r: r.r, s: r.s }));
  }

  /** History rows of one signal whose last sample time lies in [startMs, endMs), oldest first. */
  history(uid: number, startMs: number, endMs: number, limit = 1000, offset = 0): HistoryRecord[] {
    return this.db
      .prepare(
        `SELECT uid, t, p, v, d, max, min FROM history WHERE uid = ? AND t >= ? AND t < ?
         ORDER BY p LIMIT ? OFFSET ?`,
      )
      .all(uid, Math.ceil(startMs / 1000), Math.ceil(endMs / 1000), limit, offset) as HistoryRecord[];
  }

  latestHistory(uid: number): HistoryRecord | undefined {
    return this.db
      .prepare('SELECT uid, t, p, v, d, max, min FROM history WHERE uid = ? ORDER BY p DESC LIMIT 1')
      .get(uid) as HistoryRecord | undefined;
  }

  /** Imported samples go through the same tables and the same roll-up as live ones. */
  importSamples(rows: readonly { uid: number; t: number; v: number }[]): {
    samples: number;
    periods: number;
  } {
    if (!rows.length) return { samples: 0, periods: 0 };
    let min = Infinity;
    let max = -Infinity;
    this.db
      .transaction(() => {
        for (const r of rows) {
          this.raw.insert(r.uid, r.t, r.v);
          this.upsertRt.run(r.uid, r.v, null, r.t, 0, 1);
          if (r.t < min) min = r.t;
          if (r.t > max) max = r.t;
        }
      })
      .immediate();
    const uids = [...new Set(rows.map((r) => r.uid))];
    const periods = rollupRange(this.db, this.raw, min, max + 1, uids);
    return { samples: rows.length, periods };
  }

  /** Deletes raw samples older than the retention; roll-ups are kept. */
  trimRaw(retentionMs: number, now = Date.now()): number {
    return this.raw.trim(now - retentionMs);
  }
}
