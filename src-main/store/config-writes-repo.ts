import type { Db } from './db.js';

/**
 * What happened to one setting in a write job (see commissioning/config-write.ts). `pending` is the
 * intent row written before the setting is sent: left so after the job ended, the job was killed in
 * between, and whether it reached the meter is unknown until a later read of the meter resolves it.
 * `unknown`: the line went away while the setting was on its way, and nothing could be read back.
 */
export type ConfigWriteOutcome =
  'ok' | 'unverified' | 'unchanged' | 'mismatch' | 'refused' | 'failed' | 'skipped' | 'pending' | 'unknown';

/** Outcomes that do not say whether the setting reached the meter. */
export const UNRESOLVED_OUTCOMES: readonly ConfigWriteOutcome[] = ['pending', 'unknown'];

/** One row of the audit log of meter setting writes: who changed what on which meter, and how it ended. */
export interface ConfigWriteEntry {
  id: number;
  /** When, ms since the epoch. */
  t: number;
  who: string;
  did: number | null;
  lid: number | null;
  key: string;
  old: number | null;
  new: number | null;
  readback: number | null;
  outcome: ConfigWriteOutcome;
  message: string | null;
  /** The meter it was sent to: bus endpoint and unit id (null in rows older than schema version 6). */
  target: string | null;
}

export type NewConfigWrite = Omit<ConfigWriteEntry, 'id' | 't' | 'target'> & { t?: number; target?: string };

/** How a write ended, recorded on its intent row. */
export type WriteSettlement = Pick<ConfigWriteEntry, 'readback' | 'outcome' | 'message'>;

interface Row {
  id: number;
  t: number;
  who: string;
  did: number | null;
  lid: number | null;
  key: string;
  old: string | null;
  new: string | null;
  readback: string | null;
  outcome: ConfigWriteOutcome;
  message: string | null;
  target: string | null;
}

// The columns are TEXT (migration 1) so a future non-numeric setting fits; numbers round-trip as text.
const toText = (v: number | null): string | null => (v === null ? null : String(v));
const toNumber = (v: string | null): number | null => (v === null ? null : Number(v));

export class ConfigWritesRepo {
  constructor(private readonly db: Db) {}

  add(e: NewConfigWrite): ConfigWriteEntry {
    const t = e.t ?? Date.now();
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO config_writes (t, who, did, lid, key, old, new, readback, outcome, message, target)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          t,
          e.who,
          e.did,
          e.lid,
          e.key,
          toText(e.old),
          toText(e.new),
          toText(e.readback),
          e.outcome,
          e.message,
          e.target ?? null,
        ).lastInsertRowid,
    );
    return { ...e, id, t, target: e.target ?? null };
  }

  /** Records how a write ended on its row (the intent row written before it was sent). */
  settle(id: number, s: WriteSettlement): void {
    this.db
      .prepare('UPDATE config_writes SET readback = ?, outcome = ?, message = ? WHERE id = ?')
      .run(toText(s.readback), s.outcome, s.message, id);
  }

  /** Writes to this meter whose arrival is not known (pending or unknown), oldest first. */
  unresolved(target: string): ConfigWriteEntry[] {
    const marks = UNRESOLVED_OUTCOMES.map(() => '?').join(', ');
    const rows = this.db
      .prepare(`SELECT * FROM config_writes WHERE target = ? AND outcome IN (${marks}) ORDER BY id`)
      .all(target, ...UNRESOLVED_OUTCOMES) as Row[];
    return rows.map(fromRow);
  }

  /** Newest first. */
  list(filter: { did?: number; lid?: number; target?: string; limit?: number } = {}): ConfigWriteEntry[] {
    const where: string[] = [];
    const args: (number | string)[] = [];
    if (filter.did !== undefined) {
      where.push('did = ?');
      args.push(filter.did);
    }
    if (filter.lid !== undefined) {
      where.push('lid = ?');
      args.push(filter.lid);
    }
    if (filter.target !== undefined) {
      where.push('target = ?');
      args.push(filter.target);
    }
    const sql = `SELECT * FROM config_writes${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...args, filter.limit ?? 1000) as Row[];
    return rows.map(fromRow);
  }
}

function fromRow(r: Row): ConfigWriteEntry {
  return {
    id: r.id,
    t: r.t,
    who: r.who,
    did: r.did,
    lid: r.lid,
    key: r.key,
    old: toNumber(r.old),
    new: toNumber(r.new),
    readback: toNumber(r.readback),
    outcome: r.outcome,
    message: r.message,
    target: r.target,
  };
}
