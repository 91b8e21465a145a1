import { loadLibrary } from '../src-main/devices/library.js';
import { scanRtu } from '../src-main/discovery/rtu-scan.js';
import { SimulatedMeter } from '../src-main/sim/modbus-sim.js';
import { startRs485Line } from '../src-main/sim/rs485-line.js';
import { serveSerialBus } from '../src-main/sim/sim-bus-servers.js';
import { SimulatedBus } from '../src-main/sim/sim-bus.js';
import { result, type Bench, type BenchResult } from './lib.js';

/** What a scan may spend per id on top of the wire time (issue 14): a silent id's wait for a reply. */
const ALLOWANCE_PER_ID_MS = 20;

/**
 * A full 1–247 RTU scan per baud rate on the emulated RS485 line (two meters on it), against the
 * emulator's own wire time for that scan: every character the scanner and the meters put on the line,
 * at the speed they set, as the emulator counted it. The goal is wire time + 247 × 20 ms.
 */
export const discovery: Bench = async (ctx) => {
  const library = loadLibrary();
  const runs = ctx.quick ? 1 : 5;
  const out: BenchResult[] = [];
  for (const baud of [9600, 115200]) {
    const line = await startRs485Line({ ends: [{}, {}] });
    const bus = new SimulatedBus([
      new SimulatedMeter({ model: library.require('cg-em24-rs485'), unit: 5 }),
      new SimulatedMeter({ model: library.require('eastron-sdm630'), unit: 100 }),
    ]);
    const sim = await serveSerialBus(bus, line.paths[1]!, baud);
    const scans: number[] = [];
    const wires: number[] = [];
    let probes = 0;
    try {
      for (let i = 0; i < runs; i++) {
        line.resetStats();
        const started = performance.now();
        const report = await scanRtu(library, { port: line.paths[0]!, bauds: [baud], parities: ['none'] });
        scans.push(performance.now() - started);
        wires.push((await line.stats()).wireMs);
        probes = report.probes;
        if (report.found.length < 2)
          throw new Error(`scan at ${baud} found ${report.found.length} of 2 meters`);
      }
    } finally {
      await sim.stop();
      await line.stop();
    }
    const goal = wires.map((w) => w + 247 * ALLOWANCE_PER_ID_MS);
    const perId = scans.map((s, i) => (s - wires[i]!) / 247);
    ctx.log(
      `discovery: 1-247 at ${baud} on the emulated line: ${scans.map((s) => (s / 1000).toFixed(2)).join('/')} s, ` +
        `wire ${wires.map((w) => (w / 1000).toFixed(2)).join('/')} s, ${probes} probes`,
    );
    out.push(
      result(
        `discovery.rtu_scan_line_1_247_${baud}`,
        'ms',
        scans,
        `goal: the emulator's wire time for the scan + 247 × ${ALLOWANCE_PER_ID_MS} ms`,
        goal,
        `${probes} probes on the emulated RS485 line, 2 meters found; wire time ${Math.round(
          wires.reduce((a, b) => a + b, 0) / wires.length,
        )} ms`,
      ),
      result(
        `discovery.rtu_scan_line_overhead_per_id_${baud}`,
        'ms',
        perId,
        'allowance per id over the wire time',
        perId.map(() => ALLOWANCE_PER_ID_MS),
        '(scan time − emulator wire time) / 247',
      ),
    );
  }
  return out;
};
