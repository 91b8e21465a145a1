import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Site } from '../../src-preload/contract/site.js';
import { Engine } from '../../src-main/engine.js';
import { freePort } from '../../src-main/sim/demo-plant.js';
import { SimulatedMeter } from '../../src-main/sim/modbus-sim.js';
import { serveSerialBus, type RunningBus } from '../../src-main/sim/sim-bus-servers.js';
import { SimulatedBus } from '../../src-main/sim/sim-bus.js';
import { SiteConditions, type SiteWiring } from '../../src-main/sim/site-wiring.js';
import { encodeRegisters } from '../../src-main/protocol/modbus/codec.js';
import { ptyPair, startPymodbus, type PtyPair, type PymodbusSlave } from '../helpers/peers.js';

export const dbFile = (): string => join(mkdtempSync(join(tmpdir(), 'ems-site-')), 'ems.db');

export interface SimSpec {
  model: string;
  unit: number;
  serial: string;
  wiring?: SiteWiring;
}

/** An RS485 line on a socat pty with simulated meters behind it, and an engine (not polling). */
export interface SiteBench {
  engine: Engine;
  pty: PtyPair;
  sim: RunningBus;
  meters: Map<number, SimulatedMeter>;
  conditions: Map<number, SiteConditions>;
  line: { kind: 'serial'; port: string; baud: number; parity: 'none'; stopBits: 1 };
  pymodbus?: { slave: PymodbusSlave; port: number };
  close(): Promise<void>;
}

export async function siteBench(specs: SimSpec[], o: { pymodbusSdm630?: boolean } = {}): Promise<SiteBench> {
  const pty = await ptyPair();
  const engine = new Engine({ dbFile: dbFile(), poll: false });
  const meters = new Map<number, SimulatedMeter>();
  const conditions = new Map<number, SiteConditions>();
  for (const s of specs) {
    const site = new SiteConditions(s.wiring);
    conditions.set(s.unit, site);
    meters.set(
      s.unit,
      new SimulatedMeter({
        model: engine.library.require(s.model),
        unit: s.unit,
        serialNumber: s.serial,
        site,
        // The site's own load stays still: a 2 kW step must not compete with the demo curve and noise
        // when a busy machine stretches the seconds between the readings before, during and after.
        steady: true,
      }),
    );
  }
  const sim = await serveSerialBus(new SimulatedBus([...meters.values()]), pty.b);
  let pymodbus: SiteBench['pymodbus'];
  if (o.pymodbusSdm630) {
    const port = await freePort();
    const f32 = (v: number): number[] => encodeRegisters(v, 'float32', 'msw');
    // An SDM630 as pymodbus holds it: id 112, serial 12345678, firmware 0x0102, set to 3P (3-wire).
    const slave = await startPymodbus(
      { tcp: port },
      {
        1: {
          hr: {
            10: f32(2),
            18: f32(0),
            20: f32(1),
            64512: encodeRegisters(12345678, 'uint32', 'msw'),
            64514: [112, 0x0102],
          },
        },
      },
    );
    pymodbus = { slave, port };
  }
  return {
    engine,
    pty,
    sim,
    meters,
    conditions,
    line: { kind: 'serial', port: pty.a, baud: 9600, parity: 'none', stopBits: 1 },
    pymodbus,
    close: async () => {
      await engine.close();
      await sim.stop();
      pty.close();
      pymodbus?.slave.stop();
    },
  };
}

export function site(devices: Site['devices']): Site {
  return {
    site: { name: 'Test site', address: 'Lab 1', customer: 'ACME', installer: 'Anna Tech', notes: '' },
    devices,
  };
}
