import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { ROUTES } from '../src-main/api/routes.js';
import { buildApi, listen } from '../src-main/api/server.js';
import { Engine } from '../src-main/engine.js';
import { interleave, pairedResult, result, timed, type Bench } from './lib.js';
import { fetchRows, value, writeStreamingData, type StreamingData } from './streaming-data.js';

// `node --import tsx`: one process per script, whose memory is the process we spawned.
const TSX = ['--import', 'tsx'];
const WEEK = 7 * 86_400;
const RETENTION = 30 * 86_400_000;

/**
 * Issue 12.4: a telemetry /timeseries request streamed as CSV over real HTTP (one attribute, every
 * second of 7 days = 604,800 rows; 100,000 rows with --quick).
 * - time per 100k rows, against reading the same rows with one SQL statement from a plain
 *   (uid, t, v) table; after one untimed round of each, interleaved runs (ours, SQL, ours …),
 *   median of 5 (3 with --quick);
 * - peak RSS above idle of the server process during the request (goal ≤ 64 MiB), the engine alone
 *   in a child process (bench/streaming-child.ts), against a child that reads the same rows with one
 *   SQL statement (all rows in memory at once); 1 run each.
 */
export const streaming: Bench = async (ctx) => {
  const rows = ctx.quick ? 100_000 : WEEK;
  const runs = ctx.quick ? 3 : 5;
  const dir = mkdtempSync(join(tmpdir(), 'ems-bench-stream-'));
  const dbFile = join(dir, 'ems.db');
  const plainFile = join(dir, 'plain.db');
  let data: StreamingData;
  {
    const engine = new Engine({ dbFile, poll: false, rawRetentionMs: RETENTION });
    try {
      data = await writeStreamingData(engine, rows);
    } finally {
      await engine.close();
    }
  }
  const plain = new Database(plainFile);
  plain.pragma('journal_mode = WAL');
  plain.pragma('synchronous = NORMAL');
  plain.exec(
    'CREATE TABLE samples (uid INTEGER NOT NULL, t INTEGER NOT NULL, v REAL NOT NULL, PRIMARY KEY (uid, t)) WITHOUT ROWID',
  );
  const ins = plain.prepare('INSERT INTO samples (uid, t, v) VALUES (1, ?, ?)');
  plain.transaction(() => {
    for (let i = 0; i < rows; i++) ins.run((data.from + i) * 1000 + 137, value(i));
  })();
  const scan = plain.prepare('SELECT uid, t, v FROM samples WHERE uid = 1 AND t >= ? AND t < ?').raw();
  ctx.log(`streaming: ${rows} rows written`);

  // ---- time per 100k rows ----------------------------------------------------------------------
  const engine = new Engine({ dbFile, poll: false, rawRetentionMs: RETENTION });
  const app = await buildApi(engine, ROUTES);
  let timing: Record<'http' | 'sql', number[]>;
  try {
    const url = await listen(app, { host: '127.0.0.1', port: 0 });
    // One untimed round of each first: the first request compiles the CSV path and fills the page
    // cache (it took 3× the later ones), which is not what a client meets in a running engine.
    await fetchRows(url, data);
    scan.all(data.from * 1000, data.to * 1000);
    timing = await interleave(runs, {
      http: () => timed(() => fetchRows(url, data)),
      sql: () =>
        timed(() => {
          const n = scan.all(data.from * 1000, data.to * 1000).length;
          if (n !== rows) throw new Error(`plain read: ${n} rows for ${rows}`);
        }),
    });
  } finally {
    await app.close();
    await engine.close();
    plain.close();
  }
  const per100k = (ms: number[]): number[] => ms.map((x) => (x * 100_000) / rows);
  ctx.log(
    `streaming: ${rows} rows over HTTP ${Math.round(timing.http[0] ?? 0)} ms vs one SQL statement ${Math.round(timing.sql[0] ?? 0)} ms`,
  );

  // ---- peak RSS above idle, each in a process of its own -----------------------------------------
  const served = await child(['http', dbFile], async (first, send) => {
    await fetchRows(String(first.url), data);
    send('done');
  });
  const plainRead = await child(['sql', plainFile, String(data.from), String(data.to)]);
  ctx.log(
    `streaming: peak RSS above idle: server ${served.toFixed(1)} MiB, one SQL statement ${plainRead.toFixed(1)} MiB`,
  );
  const label = ctx.quick ? '100k_rows' : '7d_1s';
  return [
    pairedResult(
      `streaming.timeseries_csv_ms_per_100k_rows_${label}`,
      'ms',
      per100k(timing.http),
      `reading the same ${rows} rows from a plain (uid, t, v) table with one SQL statement, per 100k rows`,
      per100k(timing.sql),
      `one attribute at 1 s, ${rows} CSV rows streamed over HTTP (loopback, client reads to the end), blocks closed as in the field${ctx.quick ? '; quick: 100k rows' : ''}`,
    ),
    result(
      `streaming.timeseries_peak_rss_above_idle_${label}`,
      'MiB',
      [served],
      `a process reading the same ${rows} rows with one SQL statement (all at once), above its idle`,
      [plainRead],
      `1 run; the server alone in a child process, RSS sampled every 2 ms and ru_maxrss; goal ≤ 64 MiB above idle${ctx.quick ? '; quick: 100k rows' : ''}`,
    ),
  ];
};

/**
 * Runs bench/streaming-child.ts and returns its peak RSS above idle (MiB). `work` runs once the
 * child said it is idle (its first line), and may write lines to it.
 */
async function child(
  args: string[],
  work?: (first: Record<string, unknown>, send: (line: string) => void) => Promise<void>,
): Promise<number> {
  const p = spawn(process.execPath, [...TSX, resolve(import.meta.dirname, 'streaming-child.ts'), ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  try {
    let first: Record<string, unknown> | undefined;
    let last: Record<string, unknown> | undefined;
    for await (const line of createInterface({ input: p.stdout })) {
      const o = JSON.parse(line) as Record<string, unknown>;
      if (!first) {
        first = o;
        if (work) await work(o, (l) => p.stdin.write(`${l}\n`));
        p.stdin.end();
      } else last = o;
    }
    if (!first || !last || typeof last.peak !== 'number' || typeof first.idle !== 'number')
      throw new Error(`streaming child ${args[0]} ended without its figures`);
    if (last.atPeak)
      process.stderr.write(
        `streaming: ${args[0]} memory at idle ${JSON.stringify(last.idleUsage)}, at the peak ${JSON.stringify(last.atPeak)} (MiB)\n`,
      );
    return last.peak - first.idle;
  } finally {
    if (p.exitCode === null) p.kill();
  }
}
