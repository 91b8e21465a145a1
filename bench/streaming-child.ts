// One process per memory figure of bench/streaming.bench.ts, so nothing of the bench runner counts:
//   http DB  — the engine's HTTP server on that database; the parent streams a /timeseries request
//   sql PLAIN — reads the same rows from a plain table with one SQL statement
// Prints JSON lines: {"idle":MiB,"url"?:…}, then {"peak":MiB} once the work is done ("done" on stdin
// for http).
import { createInterface } from 'node:readline';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Database from 'better-sqlite3';
import { ROUTES } from '../src-main/api/routes.js';
import { buildApi, listen } from '../src-main/api/server.js';
import { Engine } from '../src-main/engine.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MiB = 2 ** 20;
const say = (o: object): boolean => process.stdout.write(`${JSON.stringify(o)}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** The most resident memory the process has had (Linux: ru_maxrss in KiB). */
const maxRss = (): number => (process.resourceUsage().maxRSS * 1024) / MiB;

const [mode, file, fromS, toS] = process.argv.slice(2);
let peak = 0;
/** Where the memory was at the highest RSS seen (MiB): tells a heap from SQLite's cache or buffers. */
let atPeak: Record<string, number> = {};
const sample = setInterval(() => {
  const rss = process.memoryUsage.rss() / MiB;
  if (rss <= peak) return;
  peak = rss;
  const m = process.memoryUsage();
  atPeak = Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Math.round((v / MiB) * 10) / 10]));
}, 2);

async function settle(): Promise<number> {
  gc();
  gc();
  await sleep(500);
  gc();
  return process.memoryUsage.rss() / MiB;
}

if (mode === 'http') {
  const engine = new Engine({ dbFile: file!, poll: false, rawRetentionMs: 30 * 86_400_000 });
  const app = await buildApi(engine, ROUTES);
  const url = await listen(app, { host: '127.0.0.1', port: 0 });
  const idle = await settle();
  const idleUsage = Object.fromEntries(
    Object.entries(process.memoryUsage()).map(([k, v]) => [k, Math.round((v / MiB) * 10) / 10]),
  );
  const before = maxRss();
  peak = idle;
  say({ idle, url });
  for await (const line of createInterface({ input: process.stdin })) if (line.trim() === 'done') break;
  const after = maxRss();
  say({ peak: Math.max(peak, after > before ? after : 0), idle, atPeak, idleUsage });
  clearInterval(sample);
  await app.close();
  await engine.close();
  process.exit(0);
} else if (mode === 'sql') {
  const db = new Database(file!, { readonly: true });
  const scan = db.prepare('SELECT uid, t, v FROM samples WHERE uid = ? AND t >= ? AND t < ?').raw();
  const idle = await settle();
  const before = maxRss();
  peak = idle;
  say({ idle });
  // One statement, all rows at once: what a plain read of the range holds in memory.
  const rows = scan.all(1, Number(fromS) * 1000, Number(toS) * 1000).length;
  peak = Math.max(peak, process.memoryUsage.rss() / MiB);
  const after = maxRss();
  say({ peak: Math.max(peak, after > before ? after : 0), idle, rows });
  clearInterval(sample);
  db.close();
  process.exit(0);
} else {
  throw new Error(`streaming-child: unknown mode ${mode}`);
}
