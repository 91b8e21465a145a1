import { loadLibrary } from '../src-main/devices/library.js';
import { scanRtu } from '../src-main/discovery/rtu-scan.js';
import { SimulatedMeter } from '../src-main/sim/modbus-sim.js';
import { serveSerialBus } from '../src-main/sim/sim-bus-servers.js';
import { SimulatedBus } from '../src-main/sim/sim-bus.js';
import { charTimeMs } from '../src-main/transport/transport.js';
import { ptyPair } from '../test/helpers/peers.js';
import { result, type Bench, type BenchResult } from './lib.js';

/**
 * A full 1–247 RTU scan per baud rate on a socat pty (two meters on the line) vs the wire-time bound:
 * every id's probe request and a reply of the same length sent back to back at that baud, no gaps.
 */
export const discovery: Bench = async (ctx) => {
  const library = loadLibrary();
  const bauds = ctx.quick ? [9600, 115200] : [9600, 19200, 38400, 115200];
  const out: BenchResult[] = [];
  for (const baud of bauds) {
    const pty = await ptyPair();
    const bus = new SimulatedBus([
      new SimulatedMeter({ model: library.require('cg-em24-rs485'), unit: 5 }),
      new SimulatedMeter({ model: library.require('eastron-sdm630'), unit: 100 }),
    ]);
    const sim = await serveSerialBus(bus, pty.b, baud);
    try {
      const started = performance.now();
      const report = await scanRtu(library, { port: pty.a, bauds: [baud], parities: ['none'] });
      const ms = performance.now() - started;
      if (report.found.length < 2)
        throw new Error(`scan at ${baud} found ${report.found.length} of 2 meters`);
      // Probe: 8-byte request; its shortest useful answer: 7 bytes (one register). Silence of 3.5 chars between frames.
      const char = charTimeMs({ baudRate: baud, parity: 'none', dataBits: 8, stopBits: 1 });
      const bound = 247 * (8 + 7 + 7) * char;
      ctx.log(
        `discovery: 1-247 at ${baud}: ${(ms / 1000).toFixed(2)} s (bound ${(bound / 1000).toFixed(2)} s), ${report.probes} probes`,
      );
      out.push(
        result(
          `discovery.rtu_scan_1_247_${baud}`,
          'ms',
          [ms],
          'wire-time bound: every probe and a reply back to back',
          [bound],
          `${report.probes} probes on a socat pty, 2 meters found`,
        ),
      );
    } finally {
      await sim.stop();
      pty.close();
    }
  }
  return out;
};
