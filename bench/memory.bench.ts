import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { result, type Bench } from './lib.js';

// `node --import tsx`: one process per script (tsx's cli would start a second one, which a kill of the
// first leaves running and whose memory is not the process we spawned).
const TSX = ['--import', 'tsx'];

/**
 * Engine heap with 50 devices polled every second for 10 min (2 min with --quick), the engine in a
 * process of its own (bench/memory-child.ts) so nothing of the bench runner counts. The figure is the
 * heap at the last minute against minute 2 (goal: ≤ 1.05×); minute 1 with --quick.
 */
export const memory: Bench = async (ctx) => {
  const devices = 50;
  const minutes = ctx.quick ? 2 : 10;
  const from = ctx.quick ? 1 : 2;
  const farm = spawn(
    process.execPath,
    [...TSX, resolve(import.meta.dirname, 'sim-farm.ts'), String(devices)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const ports = await new Promise<string>((ok, fail) => {
      let out = '';
      farm.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) ok(out.trim());
      });
      farm.once('exit', (c) => fail(new Error(`simulator farm exited ${c}`)));
    });
    const child = spawn(
      process.execPath,
      [...TSX, resolve(import.meta.dirname, 'memory-child.ts'), String(minutes), ports],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const heap: number[] = [];
    let idle = 0;
    let rows = 0;
    for await (const line of createInterface({ input: child.stdout })) {
      const o = JSON.parse(line) as { idle?: number; minute?: number; heap?: number; rows?: number };
      if (o.idle !== undefined) idle = o.idle;
      if (o.heap !== undefined) {
        heap.push(o.heap);
        ctx.log(`memory: minute ${o.minute}: heap ${o.heap.toFixed(1)} MiB (idle ${idle.toFixed(1)} MiB)`);
      }
      if (o.rows !== undefined) rows = o.rows;
    }
    if (heap.length < minutes) throw new Error(`the engine process stopped after ${heap.length} minute(s)`);
    const base = heap[from - 1]!;
    const last = heap.at(-1)!;
    return [
      result(
        `memory.engine_heap_50_devices_${minutes}min`,
        'MiB',
        [last],
        `same engine process at minute ${from}`,
        [base],
        `1 run; engine alone in its own process, JS heap + ArrayBuffers after GC; idle ${idle.toFixed(1)} MiB; per minute ${heap.map((h) => h.toFixed(1)).join(', ')}; goal ratio ≤ 1.05; ${rows} samples stored`,
      ),
    ];
  } finally {
    farm.kill();
  }
};
