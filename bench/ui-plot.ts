/**
 * Live plot in a real browser: 20 series × 10 Hz with a 1-hour window (36 000 samples per series),
 * fed in 250-ms columnar batches, in Debian's Chromium through Playwright. Measures the redraw time
 * (decimation + uPlot drawing, per frame), the page's frame pacing, and the renderer's JS heap after
 * N minutes. `npx tsx bench/ui-plot.ts [--quick]` (1 minute instead of 10) writes bench/ui-results.json.
 */
import { chromium } from '@playwright/test';
import { createReadStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { format } from 'prettier';
import { build } from 'vite';
import { machine, median, percentile, result, round, type Bench, type BenchResult } from './lib.js';

const ROOT = join(import.meta.dirname, '..');
const PAGE = join(import.meta.dirname, 'ui-plot-page');
const OUT = join(ROOT, 'node_modules', '.cache', 'ui-plot-bench');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

function serve(dir: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = normalize(
      join(
        dir,
        (req.url ?? '/').split('?')[0] === '/' ? 'index.html' : ((req.url ?? '').split('?')[0] ?? ''),
      ),
    );
    if (!path.startsWith(dir) || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
    createReadStream(path).pipe(res);
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

/** What the benchmark page exposes (bench/ui-plot-page/main.mts); evaluated in the page. */
interface BenchPage {
  reset(): void;
  read(): { frames: number[]; intervals: number[]; points: number };
  rawBaseline(n: number): Promise<number[]>;
}
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const uiPlot: Bench = async (ctx) => {
  const minutes = ctx.quick ? 1 : 10;
  await build({ root: PAGE, logLevel: 'warn', build: { outDir: OUT, emptyOutDir: true } });
  const server = await serve(OUT);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--enable-precise-memory-info', '--js-flags=--expose-gc'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1320, height: 600 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    /** JS heap plus ArrayBuffer backing stores (the ring buffers live there), after a full GC, MiB. */
    const heap = async (): Promise<number> => {
      await cdp.send('HeapProfiler.collectGarbage');
      const h = await cdp.send('Runtime.getHeapUsage');
      return (h.usedSize + h.backingStorageSize) / 2 ** 20;
    };
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction(
      () => ((globalThis as unknown as { bench?: BenchPage }).bench?.read().frames.length ?? 0) > 10,
      undefined,
      { timeout: 60_000 },
    );
    ctx.log(`ui-plot: page up, warming up 5 s, then ${minutes} min of 20 series × 10 Hz`);
    await sleep(5000);
    const heapStart = await heap();
    await page.evaluate(() => (globalThis as unknown as { bench: BenchPage }).bench.reset());
    const frames: number[] = [];
    const intervals: number[] = [];
    let points = 0;
    // Read in one-minute slices so a 10-minute run never holds more than a minute of samples in the page.
    for (let m = 0; m < minutes; m++) {
      await sleep(60_000);
      const r = await page.evaluate(() => {
        const b = (globalThis as unknown as { bench: BenchPage }).bench;
        const x = b.read();
        b.reset();
        return x;
      });
      frames.push(...r.frames);
      intervals.push(...r.intervals);
      points = r.points;
      ctx.log(
        `ui-plot: minute ${m + 1}: ${r.frames.length} redraws, median ${median(r.frames).toFixed(2)} ms`,
      );
    }
    const heapEnd = await heap();
    const raw = await page.evaluate(() =>
      (globalThis as unknown as { bench: BenchPage }).bench.rawBaseline(20),
    );
    ctx.log(
      `ui-plot: redraw median ${median(frames).toFixed(2)} ms, p95 ${percentile(frames, 95).toFixed(2)} ms ` +
        `(raw uPlot ${median(raw).toFixed(1)} ms); heap ${heapStart.toFixed(1)} → ${heapEnd.toFixed(1)} MiB`,
    );
    const note = `20 series × 10 Hz, 1 h window (${points} samples in view), ${minutes} min, Chromium headless, ${machine()}`;
    const budget = Array.from({ length: 3 }, () => 1000 / 60);
    return [
      result(
        'ui.plot_redraw_median',
        'ms',
        [median(frames)],
        'uPlot redrawing the raw samples (no decimation)',
        raw,
        `${frames.length} redraws; ${note}`,
      ),
      result('ui.plot_redraw_p95', 'ms', [percentile(frames, 95)], 'one frame at 60 Hz', budget, note),
      result(
        'ui.frame_interval_p95',
        'ms',
        [percentile(intervals, 95)],
        'one frame at 60 Hz',
        budget,
        `gaps between animation frames; ${note}`,
      ),
      result(
        'ui.renderer_memory_after_run',
        'MiB',
        [heapEnd],
        'the same after warm-up (buffers already full)',
        [heapStart],
        `JS heap + ArrayBuffer stores after a full GC; ${note}`,
      ),
    ].map((x): BenchResult => ({ ...x, value: round(x.value, 2) }));
  } finally {
    await browser.close();
    server.close();
  }
};

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const results = await uiPlot({ quick, log: (m) => process.stderr.write(`${m}\n`) });
  mkdirSync(import.meta.dirname, { recursive: true });
  const file = join(import.meta.dirname, 'ui-results.json');
  writeFileSync(file, await format(JSON.stringify(results), { parser: 'json' }));
  process.stderr.write(`wrote ${file}\n`);
}

if (process.argv[1] && normalize(process.argv[1]) === normalize(import.meta.filename)) await main();
