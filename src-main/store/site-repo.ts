import type { Db } from './db.js';

export interface SiteResultRow {
  id: number;
  t: number;
  kind: string;
  did: number | null;
  ok: boolean;
  /** The result as JSON text; the site layer parses and types it. */
  doc: string;
}

export interface BaselineRow {
  did: number;
  key: string;
  value: number | null;
  choice: string | null;
  error: string | null;
  t: number;
}

/** The site document, its commissioning results and the hand-over baseline (migration 2). */
export class SiteRepo {
  constructor(private readonly db: Db) {}

  /** The site document as JSON text, or undefined when no site was started. */
  get(): string | undefined {
    return this.db.prepare('SELECT doc FROM site WHERE id = 1').pluck().get() as string | undefined;
  }

  set(doc: string): void {
    this.db
      .prepare(
        `INSERT INTO site (id, doc, updated) VALUES (1, ?, ?)
         ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, updated = excluded.updated`,
      )
      .run(doc, Date.now());
  }

  addResult(r: Omit<SiteResultRow, 'id' | 't'> & { t?: number }): SiteResultRow {
    const t = r.t ?? Date.now();
    const id = Number(
      this.db
        .prepare('INSERT INTO site_results (t, kind, did, ok, doc) VALUES (?, ?, ?, ?, ?)')
        .run(t, r.kind, r.did, r.ok ? 1 : 0, r.doc).lastInsertRowid,
    );
    return { ...r, id, t };
  }

  /** Oldest first. */
  results(kind?: string, limit = 1000): SiteResultRow[] {
    const rows = (
      kind === undefined
        ? this.db.prepare('SELECT * FROM site_results ORDER BY id DESC LIMIT ?').all(limit)
        : this.db
            .prepare('SELECT * FROM site_results WHERE kind = ? ORDER BY id DESC LIMIT ?')
            .all(kind, limit)
    ) as (Omit<SiteResultRow, 'ok'> & { ok: number })[];
    return rows.reverse().map((r) => ({ ...r, ok: r.ok === 1 }));
  }

  /** Replaces the whole baseline in one transaction: a hand-over is recorded completely or not at all. */
  setBaseline(rows: readonly BaselineRow[]): void {
    const insert = this.db.prepare(
      'INSERT INTO site_baseline (did, key, value, choice, error, t) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.db
      .transaction(() => {
        this.db.prepare('DELETE FROM site_baseline').run();
        for (const r of rows) insert.run(r.did, r.key, r.value, r.choice, r.error, r.t);
      })
      .immediate();
  }

  baseline(): BaselineRow[] {
    return this.db.prepare('SELECT * FROM site_baseline ORDER BY did, key').all() as BaselineRow[];
  }
}
