// The soak's simulated devices: Modbus TCP meters (one of which stalls now and then) and RTU meters on
// an emulated RS485 line with flipped bits, whose adapter is unplugged and plugged in again.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLibrary } from '../../src-main/devices/library.js';
import { freePort } from '../../src-main/sim/demo-plant.js';
import { serveTcp, SimulatedMeter, type RunningSim } from '../../src-main/sim/modbus-sim.js';
import { startRs485Line, type Rs485Line } from '../../src-main/sim/rs485-line.js';
import { serveSerialBus, type RunningBus } from '../../src-main/sim/sim-bus-servers.js';
import { SimulatedBus } from '../../src-main/sim/sim-bus.js';
import type { SoakDevice } from './engine-child.js';

export const RTU_BAUD = 38_400;
/** Per character: a ~50-character frame (request or reply) is garbled about 1 time in 100. */
export const FLIP_RATE = 0.0002;
/** Longer than the engine's TCP timeout (2 s): the stalling meter's polls fail while it stalls. */
const STALL_MS = 3000;

export interface SoakSims {
  devices: SoakDevice[];
  /** The RS485 adapter: unplugged (line and slaves gone) and plugged in again at the same path. */
  unplug(): Promise<void>;
  plugIn(): Promise<void>;
  /** The stalling meter stalls, or answers again. */
  stall(on: boolean): void;
  stop(): Promise<void>;
}

export async function startSoakSims(tcpCount: number, rtuCount: number): Promise<SoakSims> {
  const library = loadLibrary();
  const tcpModels = library.all.filter((m) => m.protocols.includes('tcp'));
  const rtuModels = library.all.filter((m) => m.protocols.includes('rtu'));
  const devices: SoakDevice[] = [];
  const tcp: RunningSim[] = [];
  let stalling: SimulatedMeter | undefined;
  for (let i = 0; i < tcpCount; i++) {
    const model = tcpModels[i % tcpModels.length]!;
    const meter = new SimulatedMeter({ model, unit: 1, seed: i });
    if (i === 0) stalling = meter;
    const port = await freePort();
    tcp.push(await serveTcp(meter, port));
    devices.push({ name: `tcp-${i}${i === 0 ? '-stalls' : ''}`, model: model.id, tcp: { port } });
  }
  const dir = mkdtempSync(join(tmpdir(), 'ems-soak-line-'));
  const paths = [join(dir, 'adapter'), join(dir, 'meters')];
  const meters = Array.from(
    { length: rtuCount },
    (_, i) => new SimulatedMeter({ model: rtuModels[i % rtuModels.length]!, unit: i + 1, seed: 100 + i }),
  );
  for (const [i, m] of meters.entries())
    devices.push({
      name: `rtu-${i + 1}`,
      model: m.o.model.id,
      rtu: { path: paths[0]!, baud: RTU_BAUD, unit: i + 1 },
    });
  let line: Rs485Line | undefined;
  let slaves: RunningBus | undefined;
  const plugIn = async (): Promise<void> => {
    line = await startRs485Line({
      ends: paths.map((path) => ({ path })),
      flipRate: FLIP_RATE,
      seed: Date.now() % 1e6,
    });
    slaves = await serveSerialBus(new SimulatedBus(meters), paths[1]!, RTU_BAUD);
  };
  const unplug = async (): Promise<void> => {
    await slaves?.stop();
    await line?.stop();
    slaves = undefined;
    line = undefined;
  };
  await plugIn();
  return {
    devices,
    unplug,
    plugIn,
    stall: (on) => {
      if (stalling) (stalling.o as { delayMs?: number }).delayMs = on ? STALL_MS : 0;
    },
    stop: async () => {
      await unplug();
      for (const s of tcp) await s.stop();
    },
  };
}
