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
import type { DeviceModel } from '../devices/model-schema.js';
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

/**
 * socat under a shell that ends it when the pipe from this process closes: a process killed outright
 * (SIGKILL, a crash) runs no exit handler, and socat between two ptys reads no stdin of its own, so it
 * would relay on forever. The shell ends with socat, and on SIGTERM ends socat first.
 */
const SOCAT_WATCHED =
  // fd 3 keeps the pipe: a background job's own stdin is /dev/null in a shell without job control.
  'exec 3<&0; socat "$@" & s=$!; trap \'kill $s 2>/dev/null\' TERM INT HUP; (read _ <&3; kill $s 2>/dev/null) & wait $s';

/** A connected pair of pseudo-terminals, like a USB-RS485 adapter wired to a meter. */
export async function ptyPair(name: string): Promise<{ a: string; b: string; proc: ChildProcess }> {
  const a = join(tmpdir(), `${name}-${process.pid}-a`);
  const b = join(tmpdir(), `${name}-${process.pid}-b`);
  const proc = spawn(
    '/bin/sh',
    ['-c', SOCAT_WATCHED, 'socat', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`],
    {
      stdio: ['pipe', 'ignore', 'ignore'],
    },
  );
  // Our end of the watch pipe: closed once the shell is gone, so its reader ends too.
  proc.on('exit', () => proc.stdin?.destroy());
  proc.stdin?.on('error', () => undefined);
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
  create: () => NewDevice | undefined,
): void {
  const uid = known[name];
  const existing = uid !== undefined ? engine.store.config.device(uid) : undefined;
  if (existing) {
    engine.store.config.updateDevice(existing.uid, { connection });
    for (const l of engine.store.config.loads({ did: existing.uid }))
      engine.store.config.updateLoad(l.uid, { settings: { ...l.settings, ...connection } });
  } else {
    const device = create();
    if (device) known[name] = engine.store.config.addDevice(device).uid;
  }
}

/** What one simulator brought up: its running parts, and the connection its device is read through. */
interface Started<C extends Connection> {
  sims: DemoPlant['sims'];
  connection: C;
}

/** An M-Bus level converter with a heat meter behind it, read once to learn its signals (a new device only). */
async function startMbusDemo(
  engine: Engine,
  known: Record<string, number>,
  procs: ChildProcess[],
): Promise<Started<MeterBusConnection> & { device?: NewDevice }> {
  const pair = await ptyPair('ems-demo-mbus');
  procs.push(pair.proc);
  const slaveSide = new SerialTransport(mbusSerialSettings(pair.b));
  await slaveSide.open();
  const slave = startMbusSlave(slaveSide, [
    { primaryAddress: 5, id: '20250105', manufacturer: 'EMS', kind: 'heat' },
  ]);
  const sims = [{ endpoint: `${pair.b} (M-Bus)`, stop: async () => (slave.stop(), await slaveSide.close()) }];
  const connection: MeterBusConnection = { port: pair.a, baud: 2400, primary: 5 };
  const uid = known.mbus;
  if (uid !== undefined && engine.store.config.device(uid)) return { sims, connection };
  const probeSide = new SerialTransport(mbusSerialSettings(pair.a));
  try {
    await probeSide.open();
    const reading = await new MbusMaster(probeSide).read(5);
    const device = deviceFromMbusReading(reading, connection, engine.catalogue, 'Heat meter (demo, M-Bus)');
    return { sims, connection, device };
  } catch (e) {
    log.warn({ err: (e as Error).message }, 'demo M-Bus meter did not answer; left out');
    return { sims, connection };
  } finally {
    await probeSide.close();
  }
}

/** A P1 port with a DSMR 5 meter on it, sending a telegram every second. */
async function startP1Demo(
  grid: SimulatedMeter | undefined,
  procs: ChildProcess[],
): Promise<Started<P1Connection>> {
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
  const p1 = startP1Meter(meterSide, {
    protocol: 'dsmr5',
    intervalMs: 1000,
    textMessage: 'Demo plant: meter reading, tariff 2 from 07:00',
    // The utility meter sits in front of the main meter: it measures what flows through the main
    // meter's conductors (the demo test load included), so a fresh demo passes the P1 cross-check.
    ...(grid ? { grid: () => grid.gridPower() } : {}),
  });
  const sim = {
    endpoint: `${pair.b} (P1)`,
    stop: async () => {
      await p1.stop();
      await meterSide.close();
    },
  };
  return {
    sims: [sim],
    connection: { port: pair.a, baud: 115200, parity: 'none', dataBits: 8, dsmr: '5.0' },
  };
}

/** A Modbus meter served over TCP on loopback, or on the RS485 line. */
async function startModbusDemo(
  m: DemoMeter,
  meter: SimulatedMeter,
  procs: ChildProcess[],
  closers: (() => Promise<void>)[],
): Promise<Started<RtuConnection | TcpConnection>> {
  if (m.via === 'tcp') {
    const port = await freePort();
    const sim = await serveTcp(meter, port);
    return { sims: [sim], connection: { host: '127.0.0.1', port, unit: m.unit, model: m.model } };
  }
  const pair = await rs485Pair('ems-demo', procs, closers);
  const sim = await serveSerial(meter, pair.b, 9600);
  return {
    sims: [sim],
    connection: { port: pair.a, baud: 9600, parity: 'none', stopBits: 1, unit: m.unit, model: m.model },
  };
}

export async function startDemoPlant(engine: Engine): Promise<DemoPlant> {
  const procs: ChildProcess[] = [];
  const closers: (() => Promise<void>)[] = [];
  const known = parseKnown(engine.store.meta.get('demo_devices')) as Record<string, number>;
  const sites: SiteConditions[] = [];
  const reads: number[] = [];
  const meters: { m: DemoMeter; model: DeviceModel; meter: SimulatedMeter }[] = [];
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
    meters.push({ m, model, meter });
  }
  // The simulators come up side by side: they mostly wait on socat, python3 and their ptys (issue 14:
  // serve --demo to its first answer). Their devices are then added in a fixed order (stable uids).
  const socat = hasSocat();
  // The TCP meters one after the other: the port freePort found is free only until it is bound.
  let tcp: Promise<unknown> = Promise.resolve();
  const modbusStarts = meters.map((x) => {
    if (x.m.via !== 'tcp') return startModbusDemo(x.m, x.meter, procs, closers);
    const started = tcp.then(() => startModbusDemo(x.m, x.meter, procs, closers));
    tcp = started.catch(() => undefined);
    return started;
  });
  const [modbus, p1, mbus] = await Promise.allSettled([
    Promise.allSettled(modbusStarts),
    socat ? startP1Demo(gridMeter, procs) : Promise.resolve(undefined),
    socat ? startMbusDemo(engine, known, procs) : Promise.resolve(undefined),
  ]);
  const each = modbus.status === 'fulfilled' ? modbus.value : [];
  const outcomes = [...each, p1, mbus];
  const sims = outcomes.flatMap((o) => (o.status === 'fulfilled' && o.value ? o.value.sims : []));
  const stop = async (): Promise<void> => {
    await Promise.all(sims.map((s) => s.stop().catch(() => undefined)));
    await Promise.all(closers.map((c) => c().catch(() => undefined)));
    for (const p of procs) p.kill();
  };
  const failed = outcomes.find((o) => o.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }

  meters.forEach(({ m, model }, i) => {
    const started = each[i];
    if (started?.status !== 'fulfilled') return;
    const { connection } = started.value;
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
  });
  if (p1.status === 'fulfilled' && p1.value) {
    const { connection } = p1.value;
    upsertDemo(engine, known, 'p1', connection, () =>
      deviceFromP1(connection, engine.catalogue, 'Grid connection (demo, P1 port)'),
    );
  }
  if (mbus.status === 'fulfilled' && mbus.value) {
    const { connection, device } = mbus.value;
    upsertDemo(engine, known, 'mbus', connection, () => device);
  }
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
    stop,
  };
}
