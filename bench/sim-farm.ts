// A separate process serving N simulated meters on loopback, so the benchmarked engine's memory is its own.
import { loadLibrary } from '../src-main/devices/library.js';
import { freePort } from '../src-main/sim/demo-plant.js';
import { serveTcp, SimulatedMeter } from '../src-main/sim/modbus-sim.js';

const n = Number(process.argv[2] ?? 50);
const models = loadLibrary().all;
const ports: { port: number; model: string }[] = [];
for (let i = 0; i < n; i++) {
  const model = models[i % models.length]!;
  const port = await freePort();
  await serveTcp(new SimulatedMeter({ model, unit: 1, seed: i }), port);
  ports.push({ port, model: model.id });
}
process.stdout.write(`${JSON.stringify(ports)}\n`);
