import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  Connection,
  MeterBusConnection,
  P1Connection,
  RtuConnection,
  TcpConnection,
} from '../../src-preload/contract/domain.js';
import { deviceFromP1 } from '../devices/instantiate-p1.js';
import { deviceFromMbusReading } from '../devices/instantiate-mbus.js';
import { MbusMaster, mbusSerialSettings } from '../bus/mbus-master.js';
import { startMbusSlave } from './mbus-slave.js';
import type { NewDevice } from '../store/config-repo.js';
import { SerialTransport } from '../transport/serial.js';
import { startP1Meter } from './p1-meter.js';
import { deviceFromModel } from '../devices/instantiate.js';
import type { Engine } from '../engine.js';
import { logger } from '../util/log.js';
import { serveSerial, serveTcp, SimulatedMeter, type RunningSim } from './modbus-sim.js';
import { hasLineEmulator, startRs485Line } from './rs485-line.js';
import { SiteConditions, type Phase, type SiteWiring } from './site-wiring.js';

const log = logger('demo');

interface DemoMeter {
  name: string;
  label: string;
  model: string;
  unit: number;
  via: 'tcp' | 'pty';
  /** How its CTs are installed, for the load-step test (the heat pump's CT2 is mounted backwards). */
  wiring?: SiteWiring;
  /** The main (grid) meter: the P1 meter reads what flows through its conductors. */
  grid?: boolean;
}

/** The built-in plant: real simulators on loopback, read by the real drivers and poller. */
const PLANT: DemoMeter[] = [
  {
    name: 'main',
    label: 'Main meter (demo)',
    model: 'eastron-sdm630',
    unit: 1,
    via: 'tcp',
    wiring: {},
    grid: true,
  },
  {
    name: 'heatpump',
    label: 'Heat pump (demo)',
    model: 'cg-em24-rs485',
    unit: 2,
    via: 'tcp',
    wiring: { reversed: [2] },
  },
  { name: 'pv', label: 'PV inverter (demo, RS485 pty)', model: 'cg-em340-et340', unit: 3, via: 'pty' },
];

export interface DemoPlant {
  sims: Pick<RunningSim, 'endpoint' | 'stop'>[];
  /**
   * The demo's test load (a kettle) on one conductor, downstream of the main meter and the heat pump's
   * meter, so the load-step test has something to see; 0 W switches it off.
   */
  switchLoad(phase: Phase, watts: number): void;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export function hasSocat(): boolean {
  return ['/usr/bin/socat', '/usr/local/bin/socat', '/opt/homebrew/bin/socat'].some((p) => existsSync(p));
}

/** A connected pair of pseudo-terminals, like a USB-RS485 adapter wired to a meter. */
export async function ptyPair(name: string): Promise<{ a: string; b: string; proc: ChildProcess }> {
  const a = join(tmpdir(), `${name}-${process.pid}-a`);
  const b = join(tmpdir(), `${name}-${process.pid}-b`);
  const proc = spawn('socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' });
  const deadline = Date.now() + 5000;
  while (!(existsSync(a) && existsSync(b))) {
    if (Date.now() > deadline || proc.exitCode !== null) {
      proc.kill();
      throw new Error('socat did not create the pty pair');
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return { a, b, proc };
}

/**
 * The RS485 meter's cable: an emulated 9600-baud line where python3 is there, so the bus monitor
 * shows real wire timing; a plain socat pair (instant bytes) otherwise.
 */
async function rs485Pair(
  name: string,
  procs: ChildProcess[],
  closers: (() => Promise<void>)[],
): Promise<{ a: string; b: string }> {
  if (hasLineEmulator()) {
    const a = join(tmpdir(), `${name}-${process.pid}-a`);
    const b = join(tmpdir(), `${name}-${process.pid}-b`);
    try {
      const line = await startRs485Line({ ends: [{ path: a }, { path: b }] });
      closers.push(() => line.stop());
      return { a, b };
    } catch (e) {
      log.warn({ err: (e as Error).message }, 'RS485 line emulator did not start; using a plain pty pair');
    }
  }
  const pair = await ptyPair(name);
  procs.push(pair.proc);
  return pair;
}

function parseKnown(text: string | undefined): Record<string, number> {
  try {
    const v: unknown = JSON.parse(text || '{}');
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, number>) : {};
  } catch {
    return {};
  }
}

/** Demo devices keep their uids across restarts; only the ephemeral ports and pty paths change. */
function upsertDemo(
  engine: Engine,
  known: Record<string, number>,
  name: string,
  connection: Connection,
  create: () => NewDevice,
): void {
  const uid = known[name];
  const existing = uid !== undefined ? engine.store.config.device(uid) : undefined;
  if (existing) {
    engine.store.config.updateDevice(existing.uid, { connection });
    for (const l of engine.store.config.loads({ did: existing.uid }))
      engine.store.config.updateLoad(l.uid, { settings: { ...l.settings, ...connection } });
  } else {
    known[name] = engine.store.config.addDevice(create()).uid;
  }
}

/** An M-Bus level converter with a heat meter behind it, read once at start to learn its signals. */
async function addMbusDemo(
  engine: Engine,
  known: Record<string, number>,
  sims: DemoPlant['sims'],
  procs: ChildProcess[],
): Promise<void> {
  const pair = await ptyPair('ems-demo-mbus');
  procs.push(pair.proc);
  const slaveSide = new SerialTransport(mbusSerialSettings(pair.b));
  await slaveSide.open();
  const slave = startMbusSlave(slaveSide, [
    { primaryAddress: 5, id: '20250105', manufacturer: 'EMS', kind: 'heat' },
  ]);
  sims.push({ endpoint: `${pair.b} (M-Bus)`, stop: async () => (slave.stop(), await slaveSide.close()) });
  const connection: MeterBusConnection = { port: pair.a, baud: 2400, primary: 5 };
  const probeSide = new SerialTransport(mbusSerialSettings(pair.a));
  try {
    await probeSide.open();
    const reading = await new MbusMaster(probeSide).read(5);
    upsertDemo(engine, known, 'mbus', connection, () =>
      deviceFromMbusReading(reading, connection, engine.catalogue, 'Heat meter (demo, M-Bus)'),
    );
  } catch (e) {
    log.warn({ err: (e as Error).message }, 'demo M-Bus meter did not answer; left out');
  } finally {
    await probeSide.close();
  }
}

export async function startDemoPlant(engine: Engine): Promise<DemoPlant> {
  const sims: DemoPlant['sims'] = [];
  const procs: ChildProcess[] = [];
  const closers: (() => Promise<void>)[] = [];
  const known = parseKnown(engine.store.meta.get('demo_devices')) as Record<string, number>;
  const sites: SiteConditions[] = [];
  const reads: number[] = [];
  let gridMeter: SimulatedMeter | undefined;
  for (const m of PLANT) {
    const model = engine.library.get(m.model);
    if (!model) continue;
    if (m.via === 'pty' && !hasSocat() && !hasLineEmulator()) {
      log.info('neither python3 nor socat found: the demo RS485 meter is left out');
      continue;
    }
    const site = m.wiring ? new SiteConditions(m.wiring) : undefined;
    if (site) sites.push(site);
    const meter = new SimulatedMeter({ model, unit: m.unit, seed: m.unit * 7, ...(site ? { site } : {}) });
    if (m.grid) gridMeter = meter;
    let connection: RtuConnection | TcpConnection;
    if (m.via === 'tcp') {
      const port = await freePort();
      sims.push(await serveTcp(meter, port));
      connection = { host: '127.0.0.1', port, unit: m.unit, model: m.model };
    } else {
      const pair = await rs485Pair('ems-demo', procs, closers);
      sims.push(await serveSerial(meter, pair.b, 9600));
      connection = { port: pair.a, baud: 9600, parity: 'none', stopBits: 1, unit: m.unit, model: m.model };
    }
    const uid = known[m.name];
    const existing = uid !== undefined ? engine.store.config.device(uid) : undefined;
    if (existing) {
      engine.store.config.updateDevice(existing.uid, { connection });
      for (const l of engine.store.config.loads({ did: existing.uid }))
        engine.store.config.updateLoad(l.uid, { settings: { ...l.settings, ...connection } });
    } else {
      const tree = engine.store.config.addDevice(
        deviceFromModel(model, connection, engine.catalogue, { label: m.label }),
      );
      known[m.name] = tree.uid;
      // A new plant's grid meter is its main meter, as a technician would mark it.
      const first = tree.loads[0];
      if (m.name === 'main' && first && engine.store.meterSettings.mainLoad() === undefined)
        engine.store.meterSettings.setMainLoad(first.uid);
    }
    const did = known[m.name];
    if (did !== undefined) reads.push(did);
  }
  if (hasSocat()) {
    const pair = await ptyPair('ems-demo-p1');
    procs.push(pair.proc);
    const meterSide = new SerialTransport({
      path: pair.b,
      baudRate: 115200,
      parity: 'none',
      dataBits: 8,
      stopBits: 1,
    });
    await meterSide.open();
    const grid = gridMeter;
    const p1 = startP1Meter(meterSide, {
      protocol: 'dsmr5',
      intervalMs: 1000,
      textMessage: 'Demo plant: meter reading, tariff 2 from 07:00',
      // The utility meter sits in front of the main meter: it measures what flows through the main
      // meter's conductors (the demo test load included), so a fresh demo passes the P1 cross-check.
      ...(grid ? { grid: () => grid.gridPower() } : {}),
    });
    sims.push({
      endpoint: `${pair.b} (P1)`,
      stop: async () => {
        await p1.stop();
        await meterSide.close();
      },
    });
    const connection: P1Connection = { port: pair.a, baud: 115200, parity: 'none', dataBits: 8, dsmr: '5.0' };
    upsertDemo(engine, known, 'p1', connection, () =>
      deviceFromP1(connection, engine.catalogue, 'Grid connection (demo, P1 port)'),
    );
  }
  if (hasSocat()) await addMbusDemo(engine, known, sims, procs);
  engine.store.meta.set('demo_devices', JSON.stringify(known));
  // The meters' settings read once at start, as on a first visit, so their loads show them (ct, …).
  for (const uid of reads)
    void engine.commissioning.readDeviceConfig(uid).catch((e: unknown) => {
      log.warn({ uid, err: (e as Error).message }, 'demo meter settings not read');
    });
  log.info({ meters: sims.map((s) => s.endpoint) }, 'demo plant running');
  return {
    sims,
    switchLoad(phase, watts) {
      for (const site of sites) site.switchLoad(phase, watts);
    },
    async stop() {
      await Promise.all(sims.map((s) => s.stop().catch(() => undefined)));
      await Promise.all(closers.map((c) => c().catch(() => undefined)));
      for (const p of procs) p.kill();
    },
  };
}
