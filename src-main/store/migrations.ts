import type { Database } from 'better-sqlite3';
import { SITE_MIGRATION } from './migration-002-site.js';
import { ROLLUP_MIGRATION } from './migration-003-rollups.js';
import { OUTBOX_MIGRATION } from './migration-004-outbox.js';
import { SAMPLE_BLOCKS_MIGRATION } from './migration-005-sample-blocks.js';
import { WRITE_JOURNAL_MIGRATION } from './migration-006-write-journal.js';
import { DEADBAND_MIGRATION } from './migration-007-deadband.js';

export interface Migration {
  version: number;
  description: string;
  up(db: Database): void;
}

/** Append only: a shipped migration is never edited, a change is a new version. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'configuration, realtime, raw samples, 60-s history, accounts',
    up(db) {
      db.exec(`
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        -- One sequence for devices, loads and signals; AUTOINCREMENT guarantees a uid is never reused.
        CREATE TABLE uid_seq (
          uid INTEGER PRIMARY KEY AUTOINCREMENT,
          kind TEXT NOT NULL CHECK (kind IN ('device', 'load', 'signal')),
          created INTEGER NOT NULL
        );
        CREATE TABLE devices (
          uid INTEGER PRIMARY KEY REFERENCES uid_seq(uid),
          label TEXT NOT NULL,
          protocol TEXT NOT NULL CHECK (protocol IN ('rtu', 'tcp', 'meterBus', 'virtual', 'P1')),
          model TEXT,
          part_number TEXT NOT NULL,
          system TEXT NOT NULL,
          connection TEXT NOT NULL,
          enable INTEGER NOT NULL DEFAULT 1,
          poll_ms INTEGER NOT NULL DEFAULT 1000
        );
        CREATE TABLE loads (
          uid INTEGER PRIMARY KEY REFERENCES uid_seq(uid),
          did INTEGER NOT NULL REFERENCES devices(uid) ON DELETE CASCADE,
          uuid TEXT NOT NULL UNIQUE,
          label TEXT NOT NULL,
          enable INTEGER NOT NULL DEFAULT 1,
          idx INTEGER NOT NULL,
          type INTEGER NOT NULL DEFAULT 0 CHECK (type IN (0, 1, 2)),
          settings TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX loads_did ON loads(did);
        CREATE TABLE signals (
          uid INTEGER PRIMARY KEY REFERENCES uid_seq(uid),
          lid INTEGER NOT NULL REFERENCES loads(uid) ON DELETE CASCADE,
          did INTEGER NOT NULL REFERENCES devices(uid) ON DELETE CASCADE,
          si INTEGER NOT NULL,
          sir INTEGER NOT NULL,
          key TEXT NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('gauge', 'counter')),
          type TEXT NOT NULL,
          unit TEXT NOT NULL,
          enable INTEGER NOT NULL DEFAULT 1,
          source TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX signals_lid ON signals(lid);
        CREATE INDEX signals_did ON signals(did);
        CREATE TABLE realtime (
          uid INTEGER PRIMARY KEY,
          v REAL,
          sv TEXT,
          t INTEGER NOT NULL,
          r INTEGER NOT NULL DEFAULT 0,
          s INTEGER NOT NULL
        );
        CREATE TABLE samples (
          uid INTEGER NOT NULL,
          t INTEGER NOT NULL,
          v REAL NOT NULL,
          PRIMARY KEY (uid, t)
        ) WITHOUT ROWID;
        CREATE INDEX samples_t ON samples(t);
        CREATE TABLE history (
          uid INTEGER NOT NULL,
          p INTEGER NOT NULL,
          t INTEGER NOT NULL,
          v REAL NOT NULL,
          d REAL NOT NULL,
          max REAL NOT NULL,
          min REAL NOT NULL,
          n INTEGER NOT NULL,
          PRIMARY KEY (uid, p)
        ) WITHOUT ROWID;
        CREATE TABLE users (
          username TEXT PRIMARY KEY,
          hash TEXT NOT NULL,
          role TEXT NOT NULL CHECK (role IN ('api', 'admin')),
          created INTEGER NOT NULL
        );
        CREATE TABLE api_tokens (
          id TEXT PRIMARY KEY,
          hash TEXT NOT NULL,
          label TEXT NOT NULL,
          created_by TEXT NOT NULL,
          created INTEGER NOT NULL,
          revoked INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE config_writes (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          t INTEGER NOT NULL,
          who TEXT NOT NULL,
          did INTEGER,
          lid INTEGER,
          key TEXT NOT NULL,
          old TEXT,
          new TEXT,
          readback TEXT,
          outcome TEXT NOT NULL,
          message TEXT
        );
      `);
    },
  },
  SITE_MIGRATION,
  ROLLUP_MIGRATION,
  OUTBOX_MIGRATION,
  SAMPLE_BLOCKS_MIGRATION,
  WRITE_JOURNAL_MIGRATION,
  DEADBAND_MIGRATION,
];

export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest)
    throw new Error(`database schema version ${current} is newer than this app (${latest}); update the app`);
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      // Another process opening the same file may have migrated while this one waited for the lock.
      if ((db.pragma('user_version', { simple: true }) as number) >= m.version) return;
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return db.pragma('user_version', { simple: true }) as number;
}
