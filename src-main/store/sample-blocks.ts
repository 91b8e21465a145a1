import { decodeBlock, encodeBlock, type BlockSamples } from './blocks/block.js';
import { BlockError } from './blocks/errors.js';
import type { Db } from './db.js';
import { logger } from '../util/log.js';

const log = logger('store.blocks');

/** A block closes at this many samples (10 min at 1 s) ... */
export const BLOCK_SAMPLES = 600;
/** ... or when its oldest open sample is this old, so slow signals get blocks too. */
export const CLOSE_AFTER_MS = 10 * 60_000;
/** A block never spans more: a range query looks back this far for blocks that reach into it. */
export const MAX_BLOCK_SPAN_MS = 3_600_000;
/** Time one closing step may take on the event loop (a step per flush, about once a second). */
const STEP_BUDGET_MS = 50;
/** Decoded blocks kept: a telemetry answer reads a range in slices that often share a block. */
const CACHE_BLOCKS = 64;

type Value = number | string;
export interface AfterSample {
  uid: number;
  t: number;
  v: number;
}
export interface Segment {
  t: number[];
  v: Value[];
}

const TABLE = { 0: 'samples', 1: 'samples_text' } as const;

/**
 * Closed blocks of raw samples (one row per signal per block) and the closer that fills them from the
 * open block — the `samples` / `samples_text` rows the live path writes once a second. A row leaves
 * the open block only in the transaction that writes the block holding it, so a kill at any moment
 * loses nothing that was flushed, and converting an old database is the same closer working through
 * the rows it found at start ("backlog"), a slice per step, resumable after a kill.
 */
export class SampleBlocks {
  /** Open rows written since start, per signal: count and oldest time (a hint; refreshed from disk). */
  private readonly open = new Map<string, { uid: number; text: 0 | 1; count: number; first: number }>();
  /** Cursor over the signals with open rows from before this start, found a few per step. */
  private backlog: { text: 0 | 1; uid: number } | undefined = { text: 0, uid: -1 };
  /** Signals whose rows could not be encoded (left as rows, still readable): not retried this run. */
  private readonly stuck = new Set<string>();
  private readonly cache = new Map<number, Segment>();
  /** Blocks decoded so far (cache misses): what a query really cost. */
  readonly stats = { decoded: 0 };
  private readonly insBlock;
  private readonly readStmt;
  private readonly lastStmt;
  private readonly anyStmt;

  constructor(private readonly db: Db) {
    this.insBlock = db.prepare(
      'INSERT INTO sample_blocks (uid, text, t0, t1, n, data) VALUES (?, ?, ?, ?, ?, ?)',
    );
    // t0 > from − span keeps the index range short; t1 ≥ from drops blocks that end before the range.
    this.readStmt = db.prepare(
      `SELECT id, data FROM sample_blocks WHERE uid = ? AND text = ? AND t0 < ? AND t0 > ? AND t1 >= ?
       ORDER BY t0, id`,
    );
    this.lastStmt = db.prepare(
      `SELECT id, t1, data FROM sample_blocks WHERE uid = ? AND text = ? AND t0 < ? AND t0 > ? AND t1 >= ?
       ORDER BY t1 DESC, id DESC`,
    );
    this.anyStmt = db
      .prepare(
        'SELECT 1 FROM sample_blocks WHERE uid = ? AND text = ? AND t0 < ? AND t0 > ? AND t1 >= ? LIMIT 1',
      )
      .pluck();
  }

  /** The live path wrote a row into the open block. */
  noteOpen(uid: number, text: boolean, t: number): void {
    const key = `${text ? 1 : 0}:${uid}`;
    const o = this.open.get(key);
    if (o) {
      o.count++;
      if (t < o.first) o.first = t;
    } else this.open.set(key, { uid, text: text ? 1 : 0, count: 1, first: t });
  }

  /** Whether rows from before this start are still waiting to be moved into blocks. */
  get converting(): boolean {
    return this.backlog !== undefined || [...this.open.values()].some((o) => o.count >= BLOCK_SAMPLES);
  }

  /**
   * Closes the blocks that are due (600 samples, or the oldest open one 10 min old), for at most
   * ~50 ms, after finding (a few signals per step) the ones with rows from before this start.
   * `maxBlocks` bounds a step by work instead of time (a test that must stop half-way on a fast machine).
   * Returns the number of blocks written.
   */
  closeDue(now = Date.now(), maxBlocks = Infinity): number {
    const started = performance.now();
    let written = 0;
    const over = (): boolean => written >= maxBlocks || performance.now() - started > STEP_BUDGET_MS;
    this.discover(over);
    // Round after round: a signal with a long backlog closes a block per round, others keep their turn.
    for (let progress = true; progress && !over();) {
      progress = false;
      for (const [key, o] of this.open) {
        if (over()) break;
        if (this.stuck.has(key) || (o.count < BLOCK_SAMPLES && now - o.first < CLOSE_AFTER_MS)) continue;
        if (this.closeOne(o.uid, o.text)) {
          written++;
          progress = true;
        }
        const left = this.openRows(o.uid, o.text);
        if (!left) this.open.delete(key);
        else Object.assign(o, left);
      }
    }
    return written;
  }

  /** Closes every block that is due at `now`, step after step (tests, and a command that must finish). */
  closeAll(now = Date.now()): number {
    let written = 0;
    for (let n = -1; n !== 0 || this.backlog;) written += n = this.closeDue(now);
    return written;
  }

  /** Signals with open rows written before this start (a restart, or a database from before blocks). */
  private discover(over: () => boolean): void {
    while (this.backlog && !over()) {
      const { text, uid } = this.backlog;
      const next = this.db.prepare(`SELECT min(uid) FROM ${TABLE[text]} WHERE uid > ?`).pluck().get(uid) as
        number | null;
      if (next === null) {
        this.backlog = text === 0 ? { text: 1, uid: -1 } : undefined;
        continue;
      }
      this.backlog = { text, uid: next };
      const key = `${text}:${next}`;
      if (this.open.has(key)) continue;
      const rows = this.openRows(next, text);
      if (rows) this.open.set(key, { uid: next, text, ...rows });
    }
  }

  /** How many open rows a signal has (counted up to a block's worth) and the oldest one's time. */
  private openRows(uid: number, text: 0 | 1): { count: number; first: number } | undefined {
    const first = this.db.prepare(`SELECT min(t) FROM ${TABLE[text]} WHERE uid = ?`).pluck().get(uid) as
      number | null;
    if (first === null) return undefined;
    const count = this.db
      .prepare(`SELECT count(*) FROM (SELECT 1 FROM ${TABLE[text]} WHERE uid = ? LIMIT ?)`)
      .pluck()
      .get(uid, BLOCK_SAMPLES) as number;
    return { count, first };
  }

  /** Moves the oldest open rows of one signal (up to a block's worth, within its span) into one block. */
  private closeOne(uid: number, text: 0 | 1): boolean {
    return this.db
      .transaction(() => {
        const rows = this.db
          .prepare(`SELECT t, v FROM ${TABLE[text]} WHERE uid = ? ORDER BY t LIMIT ?`)
          .raw()
          .all(uid, BLOCK_SAMPLES) as [number, Value][];
        const first = rows[0]?.[0];
        if (first === undefined) return false;
        const end = rows.findIndex(([t]) => t >= first + MAX_BLOCK_SPAN_MS);
        const kept = end < 0 ? rows : rows.slice(0, end);
        const t = kept.map((r) => r[0]);
        const block: BlockSamples = text
          ? { kind: 'text', t, v: kept.map((r) => String(r[1])) }
          : { kind: 'float', t, v: kept.map((r) => Number(r[1])) };
        let data: Uint8Array;
        try {
          data = encodeBlock(block);
        } catch (e) {
          if (!(e instanceof BlockError)) throw e;
          // Rows a block cannot hold (a negative time from an import): they stay rows, still read.
          this.stuck.add(`${text}:${uid}`);
          log.warn({ uid, err: e.message }, 'raw samples left as rows: not storable in a block');
          return false;
        }
        const last = t[t.length - 1]!;
        this.insBlock.run(uid, text, first, last, t.length, data);
        this.db
          .prepare(`DELETE FROM ${TABLE[text]} WHERE uid = ? AND t >= ? AND t <= ?`)
          .run(uid, first, last);
        return true;
      })
      .immediate();
  }

  private decode(id: number, data: Buffer): Segment {
    const hit = this.cache.get(id);
    if (hit) return hit;
    this.stats.decoded++;
    const r = decodeBlock(data);
    let seg: Segment;
    if (r.ok) seg = { t: r.value.t as number[], v: r.value.v as Value[] };
    else {
      // A damaged block cannot be read back; say which, and answer with the rest.
      log.error({ id, err: r.error.message, code: r.error.code }, 'raw sample block unreadable; skipped');
      seg = { t: [], v: [] };
    }
    this.cache.set(id, seg);
    if (this.cache.size > CACHE_BLOCKS) this.cache.delete(this.cache.keys().next().value!);
    return seg;
  }

  /** Segments (one per block, in block order) of one signal's samples in [fromMs, toMs). */
  read(uid: number, text: boolean, fromMs: number, toMs: number): Segment[] {
    const rows = this.readStmt.all(uid, text ? 1 : 0, toMs, fromMs - MAX_BLOCK_SPAN_MS - 1, fromMs) as {
      id: number;
      data: Buffer;
    }[];
    return rows.map((row) => clip(this.decode(row.id, row.data), fromMs, toMs));
  }

  hasAny(uid: number, text: boolean, fromMs: number, toMs: number): boolean {
    return this.anyStmt.get(uid, text ? 1 : 0, toMs, fromMs - MAX_BLOCK_SPAN_MS - 1, fromMs) !== undefined;
  }

  /** The newest sample in [sinceMs, beforeMs) held in blocks. */
  last(uid: number, text: boolean, sinceMs: number, beforeMs: number): { t: number; v: Value } | undefined {
    let best: { t: number; v: Value } | undefined;
    const it = this.lastStmt.iterate(
      uid,
      text ? 1 : 0,
      beforeMs,
      sinceMs - MAX_BLOCK_SPAN_MS - 1,
      sinceMs,
    ) as Iterable<{
      id: number;
      t1: number;
      data: Buffer;
    }>;
    for (const row of it) {
      // Blocks come newest end first: once one ends before what we have, none later can beat it.
      if (best && row.t1 < best.t) break;
      const seg = clip(this.decode(row.id, row.data), sinceMs, beforeMs);
      const i = seg.t.length - 1;
      if (i >= 0 && (!best || seg.t[i]! >= best.t)) best = { t: seg.t[i]!, v: seg.v[i]! };
    }
    return best;
  }

  uidsWithin(fromMs: number, toMs: number): number[] {
    return this.db
      .prepare('SELECT DISTINCT uid FROM sample_blocks WHERE t1 >= ? AND t0 < ?')
      .pluck()
      .all(fromMs, toMs) as number[];
  }

  newest(): number | null {
    return this.db.prepare('SELECT max(t1) FROM sample_blocks').pluck().get() as number | null;
  }

  /**
   * Numeric samples held in blocks after `cursor` in (time, uid) order with a time at or before
   * `untilMs`: at least the first `limit` of them, fewer only when no more exist. Blocks are visited
   * in order of their first time and the walk stops once a block starts after the `limit`-th sample
   * found, so a long backlog costs the blocks of one page, not all of it.
   */
  after(cursor: { t: number; uid: number }, untilMs: number, limit: number): AfterSample[] {
    const blocks = this.db
      .prepare(`SELECT id, uid, t0 FROM sample_blocks WHERE text = 0 AND t1 >= ? AND t0 <= ? ORDER BY t0, id`)
      .iterate(cursor.t, untilMs) as Iterable<{ id: number; uid: number; t0: number }>;
    const data = this.db.prepare('SELECT data FROM sample_blocks WHERE id = ?').pluck();
    let found: AfterSample[] = [];
    for (const b of blocks) {
      if (found.length >= limit) {
        found = sortAfter(found).slice(0, limit);
        if (b.t0 > found[limit - 1]!.t) break;
      }
      const seg = this.decode(b.id, data.get(b.id) as Buffer);
      for (let i = 0; i < seg.t.length; i++) {
        const t = seg.t[i]!;
        if (t > untilMs) break;
        if (t > cursor.t || (t === cursor.t && b.uid > cursor.uid))
          found.push({ uid: b.uid, t, v: seg.v[i] as number });
      }
    }
    return sortAfter(found).slice(0, limit);
  }

  /** How many numeric samples blocks hold in (afterMs, untilMs]; only blocks cut by an end are decoded. */
  countAfter(afterMs: number, untilMs: number): number {
    const whole = this.db
      .prepare('SELECT total(n) FROM sample_blocks WHERE text = 0 AND t1 > ? AND t1 <= ? AND t0 > ?')
      .pluck()
      .get(afterMs, untilMs, afterMs) as number;
    const cut = this.db
      .prepare(
        `SELECT id, data FROM sample_blocks WHERE text = 0 AND t1 > ? AND t0 <= ? AND (t0 <= ? OR t1 > ?)`,
      )
      .all(afterMs, untilMs, afterMs, untilMs) as { id: number; data: Buffer }[];
    let n = whole;
    for (const b of cut) n += clip(this.decode(b.id, b.data), afterMs + 1, untilMs + 1).t.length;
    return n;
  }

  /** Retention: deletes whole blocks whose last sample is older than `beforeMs`, in slices. */
  trim(beforeMs: number): { blocks: number; samples: number } {
    const pick = this.db.prepare('SELECT id, n FROM sample_blocks WHERE t1 < ? LIMIT 2000');
    const del = this.db.prepare('DELETE FROM sample_blocks WHERE id = ?');
    let blocks = 0;
    let samples = 0;
    for (;;) {
      const rows = pick.all(beforeMs) as { id: number; n: number }[];
      this.db.transaction(() => rows.forEach((r) => del.run(r.id))).immediate();
      blocks += rows.length;
      samples += rows.reduce((a, r) => a + r.n, 0);
      if (rows.length < 2000) break;
    }
    this.cache.clear();
    return { blocks, samples };
  }
}

function clip(seg: Segment, fromMs: number, toMs: number): Segment {
  const { t } = seg;
  if (!t.length || (t[0]! >= fromMs && t[t.length - 1]! < toMs)) return seg;
  let lo = 0;
  while (lo < t.length && t[lo]! < fromMs) lo++;
  let hi = lo;
  while (hi < t.length && t[hi]! < toMs) hi++;
  return { t: t.slice(lo, hi), v: seg.v.slice(lo, hi) };
}

/**
 * Blocks (in block order) then open rows, as one time-ordered list. Normally already in order; a late
 * or imported sample can overlap an older block, and then the later source wins on an equal time —
 * like INSERT OR REPLACE did for rows.
 */
export function mergeSamples<V extends Value>(
  segments: readonly Segment[],
  rows: readonly { t: number; v: V }[],
): { t: number; v: V }[] {
  const out: { t: number; v: V }[] = [];
  for (const s of segments) for (let i = 0; i < s.t.length; i++) out.push({ t: s.t[i]!, v: s.v[i] as V });
  for (const r of rows) out.push({ t: r.t, v: r.v });
  let ordered = true;
  for (let i = 1; i < out.length && ordered; i++) ordered = out[i]!.t > out[i - 1]!.t;
  if (ordered) return out;
  // Stable: among equal times the later source stays last, and is the one kept.
  out.sort((a, b) => a.t - b.t);
  return out.filter((s, i) => i === out.length - 1 || out[i + 1]!.t !== s.t);
}

function sortAfter(s: AfterSample[]): AfterSample[] {
  return s.sort((a, b) => a.t - b.t || a.uid - b.uid);
}
