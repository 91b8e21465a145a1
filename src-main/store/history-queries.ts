import type { HistoryRecord, Realtime, SampleStatus } from '../../src-preload/contract/domain.js';
import type { Db } from './db.js';

/** One page of a list ordered by uid (and by time inside a signal). */
export interface PageSpec {
  limit: number;
  offset: number;
}

/** A history record's columns, in the order of `HistoryRow`. */
export const HISTORY_COLUMNS = ['uid', 't', 'p', 'v', 'd', 'max', 'min'] as const;
/** A history record as its column values: uid, t, p, v, d, max, min. */
export type HistoryRow = [number, number, number, number, number, number, number];

/** Selects signals: a list of uids, or every configured signal. */
export type SignalSet = readonly number[] | 'all';

interface RealtimeRow {
  uid: number;
  si: number;
  v: number | null;
  sv: string | null;
  t: number;
  r: 0 | 1;
  s: SampleStatus;
}

const finite = (v: number | null): number | null => (v !== null && Number.isFinite(v) ? v : null);

/** The SQL that selects the signal uids of a set; parameters are appended to `args`. */
function signalFilter(set: SignalSet, args: unknown[], column = 'uid'): string {
  if (set === 'all') return `${column} IN (SELECT uid FROM signals)`;
  args.push(JSON.stringify(set));
  // json_each keeps a long uid list out of the variable limit and out of the SQL text.
  return `${column} IN (SELECT value FROM json_each(?))`;
}

/**
 * Read side of the EMS Webapi: history records and realtime values paged in SQL, so a large history
 * never reaches JS as a whole.
 */
export class HistoryQueries {
  constructor(private readonly db: Db) {}

  /**
   * Where the page after each recently answered page starts, keyed by query and offset: a client
   * reading page after page resumes from the last key (uid, p) instead of making SQLite step over
   * every earlier row again, which made reading a year of records quadratic.
   */
  private readonly resume = new Map<string, { uid: number; p: number }>();

  /**
   * History records whose last-sample time `t` (s) lies in [startMs, endMs), ordered by uid then
   * period; the page applies to that flat list. Column arrays in HISTORY_COLUMNS order: a year of
   * records answered page by page reaches the serializer without an object per record.
   */
  rangeRows(set: SignalSet, startMs: number, endMs: number, page: PageSpec): HistoryRow[] {
    const tLo = Math.ceil(startMs / 1000);
    const tHi = Math.ceil(endMs / 1000);
    const query = `${set === 'all' ? 'all' : set.join(',')}|${tLo}|${tHi}`;
    const from = page.offset > 0 ? this.resume.get(`${query}|${page.offset}`) : undefined;
    const cols = `SELECT ${HISTORY_COLUMNS.join(', ')} FROM history`;
    // t lies in [p-60, p-1], so bounds on p let the (uid, p) key do the range scan.
    const span = 't >= ? AND t < ? AND p >= ? AND p < ?';
    let rows: HistoryRow[];
    if (!from) {
      const args: unknown[] = [];
      const filter = signalFilter(set, args);
      args.push(tLo, tHi, tLo + 1, tHi + 60, page.limit, page.offset);
      rows = this.db
        .prepare(`${cols} WHERE ${filter} AND ${span} ORDER BY uid, p LIMIT ? OFFSET ?`)
        .raw()
        .all(...args) as HistoryRow[];
    } else {
      // The rest of the signal the last page ended in, then the signals after it: two key-range
      // searches (a row-value bound next to the uid list is only a filter to SQLite's planner).
      rows = this.db
        .prepare(`${cols} WHERE uid = ? AND ${span} ORDER BY p LIMIT ?`)
        .raw()
        .all(from.uid, tLo, tHi, Math.max(tLo + 1, from.p + 1), tHi + 60, page.limit) as HistoryRow[];
      if (rows.length < page.limit) {
        const args: unknown[] = [];
        const filter = signalFilter(set, args);
        args.push(from.uid, tLo, tHi, tLo + 1, tHi + 60, page.limit - rows.length);
        rows = rows.concat(
          this.db
            .prepare(`${cols} WHERE ${filter} AND uid > ? AND ${span} ORDER BY uid, p LIMIT ?`)
            .raw()
            .all(...args) as HistoryRow[],
        );
      }
    }
    const last = rows.at(-1);
    if (last && rows.length === page.limit) {
      this.resume.delete(`${query}|${page.offset}`);
      this.resume.set(`${query}|${page.offset + page.limit}`, { uid: last[0], p: last[2] });
      if (this.resume.size > 256) this.resume.delete(this.resume.keys().next().value!);
    }
    return rows;
  }

  /** The newest history record of each selected signal that has one, ordered by uid, paged. */
  latest(set: SignalSet, page: PageSpec): HistoryRecord[] {
    const args: unknown[] = [];
    const filter = signalFilter(set, args);
    args.push(page.limit, page.offset);
    return this.db
      .prepare(
        `SELECT h.uid, h.t, h.p, h.v, h.d, h.max, h.min
         FROM (SELECT uid, max(p) AS p FROM history WHERE ${filter} GROUP BY uid) last
         JOIN history h ON h.uid = last.uid AND h.p = last.p
         ORDER BY h.uid LIMIT ? OFFSET ?`,
      )
      .all(...args) as HistoryRecord[];
  }

  /** Latest value of each selected signal that has one, ordered by uid, paged. */
  realtime(set: SignalSet, page: PageSpec): Realtime[] {
    const args: unknown[] = [];
    const filter = signalFilter(set, args, 's.uid');
    args.push(page.limit, page.offset);
    const rows = this.db
      .prepare(
        `SELECT s.uid, s.si, r.v, r.sv, r.t, r.r, r.s FROM signals s JOIN realtime r ON r.uid = s.uid
         WHERE ${filter} ORDER BY s.uid LIMIT ? OFFSET ?`,
      )
      .all(...args) as RealtimeRow[];
    return rows.map((r) => ({ uid: r.uid, si: r.si, v: r.sv ?? finite(r.v), t: r.t, r: r.r, s: r.s }));
  }
}
