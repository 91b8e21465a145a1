import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { decodeBlock, encodeBlock, type BlockSamples } from '../src-main/store/blocks/block.js';
import { SAMPLE_BLOCKS_SQL } from '../src-main/store/migration-005-sample-blocks.js';
import { BLOCK_SAMPLES } from '../src-main/store/sample-blocks.js';
import { demoPlantSeries, slowSeries, type SignalSeries } from '../test/helpers/demo-mix.js';
import { repeat, result, round, type Bench } from './lib.js';

function open(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}

/** Bytes of every page of the given tables and their indexes, as SQLite's dbstat counts them. */
function bytesOf(db: Database.Database, tables: readonly string[]): number {
  db.pragma('wal_checkpoint(TRUNCATE)');
  const marks = tables.map(() => '?').join(', ');
  return db
    .prepare(
      `SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN (
         SELECT name FROM sqlite_schema WHERE tbl_name IN (${marks}))`,
    )
    .pluck()
    .get(...tables) as number;
}

/** Every sample in time order, one poll cycle after another, as the live path writes them. */
function* cycles(
  series: readonly SignalSeries[],
): Generator<{ uid: number; t: number; v: number | string }[]> {
  const at = series.map(() => 0);
  for (;;) {
    const batch: { uid: number; t: number; v: number | string }[] = [];
    const until = Math.min(...series.map((s, i) => s.t[at[i]!] ?? Infinity)) + 1000;
    if (until === Infinity) return;
    series.forEach((s, uid) => {
      while (at[uid]! < s.t.length && s.t[at[uid]!]! < until) {
        batch.push({ uid, t: s.t[at[uid]!]!, v: s.v[at[uid]!]! });
        at[uid]!++;
      }
    });
    yield batch;
  }
}

/** Today's layout: a row per sample keyed (uid, t) plus the time index retention uses. */
function rowLayout(file: string, series: readonly SignalSeries[]): number {
  const db = open(file);
  db.exec(`CREATE TABLE samples (uid INTEGER NOT NULL, t INTEGER NOT NULL, v REAL NOT NULL, PRIMARY KEY (uid, t)) WITHOUT ROWID;
           CREATE INDEX samples_t ON samples(t);`);
  const ins = db.prepare('INSERT OR REPLACE INTO samples (uid, t, v) VALUES (?, ?, ?)');
  for (const batch of cycles(series)) db.transaction(() => batch.forEach((s) => ins.run(s.uid, s.t, s.v)))();
  const bytes = bytesOf(db, ['samples']);
  db.close();
  return bytes;
}

function blockOf(s: SignalSeries, from: number, to: number): BlockSamples {
  const t = s.t.slice(from, to);
  const v = s.v.slice(from, to);
  return v.every((x) => typeof x === 'number')
    ? { kind: 'float', t, v: v as number[] }
    : { kind: 'text', t, v: v.map(String) };
}

/**
 * Blocks: one row per signal per block in the store's own table (its migration's DDL): a rowid table
 * (a WITHOUT ROWID table spills blobs past ~1 KB into overflow pages), found by (uid, first t), whole
 * blocks trimmed by last t; written as each signal's block closes.
 */
function blockLayout(file: string, series: readonly SignalSeries[], perBlock = BLOCK_SAMPLES): number {
  const db = open(file);
  db.exec(SAMPLE_BLOCKS_SQL);
  const ins = db.prepare('INSERT INTO sample_blocks (uid, text, t0, t1, n, data) VALUES (?, ?, ?, ?, ?, ?)');
  const longest = Math.max(...series.map((s) => s.t.length));
  for (let from = 0; from < longest; from += perBlock)
    db.transaction(() =>
      series.forEach((s, uid) => {
        if (from >= s.t.length) return;
        const to = Math.min(from + perBlock, s.t.length);
        const block = blockOf(s, from, to);
        ins.run(uid, block.kind === 'text' ? 1 : 0, s.t[from], s.t[to - 1], to - from, encodeBlock(block));
      }),
    )();
  const bytes = bytesOf(db, ['sample_blocks']);
  db.close();
  return bytes;
}

/** Reads every sample of every signal back: row SELECTs vs block SELECT + decode. */
function readBack(dir: string, series: readonly SignalSeries[]): { rows: number; blocks: number } {
  const rows = open(join(dir, 'rows.db'));
  const blocks = open(join(dir, 'blocks.db'));
  const selRows = rows.prepare('SELECT t, v FROM samples WHERE uid = ? ORDER BY t').raw();
  const selBlocks = blocks.prepare('SELECT data FROM sample_blocks WHERE uid = ? ORDER BY t0').pluck();
  const total = series.reduce((a, s) => a + s.t.length, 0);
  let started = performance.now();
  let n = 0;
  for (let uid = 0; uid < series.length; uid++) n += selRows.all(uid).length;
  const rowRate = n / ((performance.now() - started) / 1000);
  started = performance.now();
  let m = 0;
  for (let uid = 0; uid < series.length; uid++)
    for (const data of selBlocks.all(uid) as Buffer[]) {
      const r = decodeBlock(data);
      if (!r.ok) throw r.error;
      m += r.value.count;
    }
  const blockRate = m / ((performance.now() - started) / 1000);
  rows.close();
  blocks.close();
  if (n !== total || m !== total) throw new Error(`read back ${n} rows and ${m} block samples of ${total}`);
  return { rows: rowRate, blocks: blockRate };
}

/** Bytes per raw sample on disk (dbstat: tables and indexes), compressed blocks vs a row per sample. */
export const density: Bench = async (ctx) => {
  const seconds = ctx.quick ? 900 : 3600;
  const start = Date.UTC(2026, 5, 1, 8);
  const mix = demoPlantSeries(start, seconds);
  // Fifty sensors, so the figure is the layout's and not one half-empty page's.
  const slow = Array.from({ length: 50 }, (_, i) => slowSeries(start, seconds, i));
  const dir = mkdtempSync(join(tmpdir(), 'ems-bench-density-'));
  try {
    const count = (s: readonly SignalSeries[]): number => s.reduce((a, x) => a + x.t.length, 0);
    const measure = (name: string, s: readonly SignalSeries[], perBlock = BLOCK_SAMPLES) => ({
      rows: rowLayout(join(dir, `${name}-rows.db`), s) / count(s),
      blocks: blockLayout(join(dir, `${name}-blocks-${perBlock}.db`), s, perBlock) / count(s),
    });
    const m = measure('mix', mix);
    const sl = measure('slow', slow);
    for (const per of [60, 3600]) {
      const alt = blockLayout(join(dir, `alt-${per}.db`), mix, per) / count(mix);
      ctx.log(`density: demo mix in blocks of ${per} samples: ${round(alt, 2)} B/sample`);
    }
    rowLayout(join(dir, 'rows.db'), mix);
    blockLayout(join(dir, 'blocks.db'), mix);
    const reads = await repeat(ctx.quick ? 2 : 3, () => readBack(dir, mix).blocks);
    const rowReads = await repeat(ctx.quick ? 2 : 3, () => readBack(dir, mix).rows);
    ctx.log(
      `density: demo mix (${mix.length} signals, ${count(mix)} samples) ${round(m.blocks, 2)} B/sample in blocks vs ${round(m.rows, 2)} in rows; ` +
        `slow signal ${round(sl.blocks, 2)} vs ${round(sl.rows, 2)}`,
    );
    const span = `${seconds / 60} min at 1 s`;
    return [
      result(
        'density.demo_mix_bytes_per_sample',
        'B/sample',
        [m.blocks],
        'a row per sample (uid, t, v) + time index',
        [m.rows],
        `demo plant mix: ${mix.length} signals (3 Modbus meters through their register codecs, P1 telegrams), ${span}; blocks of ${BLOCK_SAMPLES}; goal ≤ 4`,
      ),
      result(
        'density.slow_signal_bytes_per_sample',
        'B/sample',
        [sl.blocks],
        'a row per sample (uid, t, v) + time index',
        [sl.rows],
        `50 temperatures at 0.1 °C polled every second, ${span}; goal ≤ 2`,
      ),
      result(
        'density.read_samples_per_s',
        'samples/s',
        reads,
        'SELECT of the same samples as rows',
        rowReads,
        'every sample of the demo mix read back: block SELECT + decode vs row SELECT',
      ),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
