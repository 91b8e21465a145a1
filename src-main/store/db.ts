import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations.js';

export type Db = Database.Database;

/** SQLite's page cache per connection, KiB (16 MiB). */
export const CACHE_KIB = 16 * 1024;

function nativeBinding(): string | undefined {
  // Electron has its own ABI: scripts/electron-native.js builds a second copy of the addon for it.
  return process.versions.electron ? process.env.EMS_SQLITE_ELECTRON_BINDING : undefined;
}

/**
 * How long a writer waits for another connection's write lock. One-shot commands (the CLI) wait
 * long: a running `serve` commits every poll cycle. The engine waits briefly (see `Engine`).
 */
export const BUSY_TIMEOUT_MS = 5_000;

/**
 * Every write transaction here is BEGIN IMMEDIATE (`db.transaction(fn).immediate()`): a deferred one
 * that reads before it writes cannot wait for the lock — SQLite fails it at once with "database is
 * locked" when another process committed since its read began — while IMMEDIATE takes the write lock
 * first, through the busy timeout.
 */
export function openDatabase(file: string, busyTimeoutMs = BUSY_TIMEOUT_MS): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const binding = nativeBinding();
  const db = new Database(file, binding ? { nativeBinding: binding } : {});
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a crash loses at most the last transactions, never corrupts the file.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${Math.max(0, Math.round(busyTimeoutMs))}`);
  // Memory is bounded by these, not by the database file: a page cache of at most 16 MiB (about
  // 20 MiB resident with SQLite's and malloc's headers, full once the file has grown past it; the
  // soak shows RSS following it) and no memory-mapped I/O, whose mapped pages would count in RSS and
  // grow with the file. Set here rather than taken from how better-sqlite3 was built.
  db.pragma(`cache_size = -${CACHE_KIB}`);
  db.pragma('mmap_size = 0');
  migrate(db);
  return db;
}
