import type { Db } from './db.js';

/** What happened to one setting in a write job (see commissioning/config-write.ts). */
export type ConfigWriteOutcome =
  'ok' | 'unverified' | 'unchanged' | 'mismatch' | 'refused' | 'failed' | 'skipped';

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
}

export type NewConfigWrite = Omit<ConfigWriteEntry, 'id' | 't'> & { t?: number };

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
          `INSERT INTO config_writes (t, who, did, lid, key, old, new, readback, outcome, message)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
        ).lastInsertRowid,
    );
    return { ...e, id, t };
  }

  /** Newest first. */
  list(filter: { did?: number; lid?: number; limit?: number } = {}): ConfigWriteEntry[] {
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
    const sql = `SELECT * FROM config_writes${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...args, filter.limit ?? 1000) as Row[];
    return rows.map((r) => ({
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
    }));
  }
}
