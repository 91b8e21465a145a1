import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TcpConnection } from '../../src-preload/contract/domain.js';
import { loadCatalogue } from '../../src-main/devices/catalogue.js';
import { deviceFromModel } from '../../src-main/devices/instantiate.js';
import { loadLibrary } from '../../src-main/devices/library.js';
import { DEFAULT_INTEGRATIONS, type IntegrationSettings } from '../../src-main/integrations/settings.js';
import { startRuntime, type Runtime } from '../../src-main/runtime.js';
import { freePort } from '../../src-main/sim/demo-plant.js';
import { serveTcp, SimulatedMeter, type RunningSim } from '../../src-main/sim/modbus-sim.js';
import type { DeviceTree } from '../../src-main/store/config-repo.js';

export interface Meter {
  model: string;
  unit: number;
  keys?: string[];
  pollMs?: number;
  /** What the simulator reports as its serial number (digits only where the model's register is numeric). */
  serialNumber?: string;
}

export interface Plant {
  rt: Runtime;
  dbFile: string;
  devices: DeviceTree[];
  sims: RunningSim[];
  close(): Promise<void>;
}

/**
 * Simulated Modbus TCP meters (real sockets, the modbus-serial slave), configured in a fresh store and
 * polled by the real runtime with its API on a free loopback port and the given integrations.
 */
export async function startPlant(
  meters: Meter[],
  integrations: (s: IntegrationSettings) => IntegrationSettings = (s) => s,
  o: { sharedPort?: boolean; dbFile?: string } = {},
): Promise<Plant> {
  const library = loadLibrary();
  const catalogue = loadCatalogue();
  const dbFile = o.dbFile ?? join(mkdtempSync(join(tmpdir(), 'ems-integ-')), 'ems.db');
  const sims: RunningSim[] = [];
  const specs: { m: Meter; port: number }[] = [];
  for (const m of meters) {
    const port = await freePort();
    sims.push(
      await serveTcp(
        new SimulatedMeter({ model: library.require(m.model), unit: m.unit, serialNumber: m.serialNumber }),
        port,
      ),
    );
    specs.push({ m, port });
  }
  const rt = await startRuntime({
    dbFile,
    api: { host: '127.0.0.1', port: 0 },
    demo: 'never',
    poll: true,
    integrations: integrations(structuredClone(DEFAULT_INTEGRATIONS)),
  });
  const devices: DeviceTree[] = [];
  for (const { m, port } of specs) {
    const conn: TcpConnection = { host: '127.0.0.1', port, unit: m.unit, model: m.model };
    const d = deviceFromModel(library.require(m.model), conn, catalogue, {
      keys: m.keys,
      pollMs: m.pollMs ?? 500,
    });
    devices.push(rt.engine.addDevice(d));
  }
  return {
    rt,
    dbFile,
    devices,
    sims,
    async close() {
      await rt.close();
      await Promise.all(sims.map((s) => s.stop()));
    },
  };
}
