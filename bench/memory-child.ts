// The engine alone in a process of its own (issue 14: the heap row), polling the simulator farm's meters;
// prints one JSON line per event: {"idle":MiB}, {"minute":n,"heap":MiB}, {"rows":n}.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { deviceFromModel } from '../src-main/devices/instantiate.js';
import { Engine } from '../src-main/engine.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
// JS heap plus ArrayBuffer stores: memory moved into typed arrays (the bus monitor's rings) still counts.
const heapMiB = (): number => {
  gc();
  gc();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const say = (o: object): boolean => process.stdout.write(`${JSON.stringify(o)}\n`);

const minutes = Number(process.argv[2] ?? 10);
const ports = JSON.parse(process.argv[3] ?? '[]') as { port: number; model: string }[];
const engine = new Engine({ dbFile: join(mkdtempSync(join(tmpdir(), 'ems-bench-mem-')), 'ems.db') });
engine.start();
await sleep(2000);
say({ idle: heapMiB() });
for (const p of ports) {
  const model = engine.library.require(p.model);
  engine.addDevice(
    deviceFromModel(model, { host: '127.0.0.1', port: p.port, unit: 1, model: model.id }, engine.catalogue),
  );
}
for (let m = 1; m <= minutes; m++) {
  await sleep(60_000);
  say({ minute: m, heap: heapMiB() });
}
say({ rows: engine.store.db.prepare('SELECT count(*) FROM samples').pluck().get() as number });
await engine.close();
