import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { deviceFromModel } from '../src-main/devices/instantiate.js';
import { Engine } from '../src-main/engine.js';
import { result, type Bench } from './lib.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapMiB(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Engine heap with 50 devices polled every second for 10 min (1 min with --quick) vs the idle engine. */
export const memory: Bench = async (ctx) => {
  const devices = 50;
  const minutes = ctx.quick ? 1 : 10;
  const farm = spawn(
    process.execPath,
    [
      resolve(import.meta.dirname, '../node_modules/tsx/dist/cli.mjs'),
      resolve(import.meta.dirname, 'sim-farm.ts'),
      String(devices),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const ports = await new Promise<{ port: number; model: string }[]>((ok, fail) => {
      let out = '';
      farm.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) ok(JSON.parse(out) as { port: number; model: string }[]);
      });
      farm.once('exit', (c) => fail(new Error(`simulator farm exited ${c}`)));
    });
    const engine = new Engine({ dbFile: join(mkdtempSync(join(tmpdir(), 'ems-bench-mem-')), 'ems.db') });
    try {
      engine.start();
      await sleep(2000);
      const idle = heapMiB();
      for (const p of ports) {
        const model = engine.library.require(p.model);
        engine.addDevice(
          deviceFromModel(
            model,
            { host: '127.0.0.1', port: p.port, unit: 1, model: model.id },
            engine.catalogue,
          ),
        );
      }
      const samples: number[] = [];
      for (let m = 1; m <= minutes; m++) {
        await sleep(60_000);
        samples.push(heapMiB());
        ctx.log(`memory: minute ${m}: heap ${samples.at(-1)!.toFixed(1)} MiB (idle ${idle.toFixed(1)} MiB)`);
      }
      const rows = engine.store.db.prepare('SELECT count(*) FROM samples').pluck().get() as number;
      const first = samples[0] ?? 0;
      const last = samples.at(-1) ?? 0;
      return [
        result(
          `memory.engine_heap_50_devices_${minutes}min`,
          'MiB',
          [last],
          'same engine idle, no devices',
          [idle],
          `heap after GC; minute 1 ${first.toFixed(1)} → minute ${minutes} ${last.toFixed(1)} MiB; ${rows} samples stored`,
        ),
      ];
    } finally {
      await engine.close();
    }
  } finally {
    farm.kill();
  }
};
