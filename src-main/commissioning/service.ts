import type { Device, LoadType, RtuConnection, TcpConnection } from '../../src-preload/contract/domain.js';
import { lineKey, type BusRegistry, type LineSpec } from '../bus/bus-registry.js';
import type { BusTimings } from '../bus/modbus-bus.js';
import type { MonitorHub, UnitStatsRow } from '../bus/monitor-hub.js';
import type { SignalCatalogue } from '../devices/catalogue.js';
import type { DeviceLibrary } from '../devices/library.js';
import { scanRtu, type RtuScanOptions } from '../discovery/rtu-scan.js';
import type { RtuPosition, ScanHooks, ScanReport, TcpPosition } from '../discovery/scan-types.js';
import { scanTcp, type TcpScanOptions } from '../discovery/tcp-scan.js';
import type { DeviceTree, NewDevice } from '../store/config-repo.js';
import type { ConfigWriteEntry } from '../store/config-writes-repo.js';
import type { Store } from '../store/store.js';
import { newDeviceFromScan, type AddOptions } from './add-from-scan.js';
import { parseBusSettings } from './bus-settings.js';
import { checkMeter, type CheckReport } from './check-device.js';
import { configDescriptors, type ConfigDescriptor } from './config-fields.js';
import { readConfig, type ConfigReading, type ConfigTarget } from './config-read.js';
import { MainMeterError, setMainMeter, type MainMeterChange } from './main-meter.js';
import { writeConfig, type WriteReport } from './config-write.js';
import { storeJournal } from './write-journal.js';
import { SYSTEM_TYPE_KEY, systemOfValue } from '../drivers/system-type.js';
import { readModelInfo } from '../discovery/identify.js';

export class CommissioningError extends Error {
  constructor(
    readonly code: 'not-found' | 'unsupported' | 'busy',
    message: string,
  ) {
    super(message);
    this.name = 'CommissioningError';
  }
}

export interface CommissioningDeps {
  store: Store;
  library: DeviceLibrary;
  catalogue: SignalCatalogue;
  buses: BusRegistry;
  monitors: MonitorHub;
  addDevice(d: NewDevice): DeviceTree;
}

export interface ConfigField extends ConfigDescriptor {
  /** The meter's current value, null when not readable or not read. */
  value: number | null;
  choice: string | null;
  readError: string | null;
}

export interface LoadConfig {
  lid: number;
  did: number;
  deviceLabel: string;
  model: string;
  fields: ConfigField[];
  /** Why there is nothing to configure, when fields is empty. */
  message: string | null;
  readAt: number;
}

export interface LoadWriteReport extends WriteReport {
  lid: number;
  did: number;
}

export interface DeviceCheckReport extends CheckReport {
  uid: number;
}

export interface BusStatsRow extends UnitStatsRow {
  devices: { uid: number; label: string }[];
}

const BUS_SETTINGS_META = 'bus_settings';
const IDENTITY_META = (uid: number): string => `device_identity.${uid}`;

/** What a Modbus meter said about itself, as last read; null where the model publishes no such register or the meter refused it. */
export interface DeviceIdentity {
  serialNumber: string | null;
  firmware: string | null;
  readAt: number;
}

export function lineOf(c: RtuConnection | TcpConnection): LineSpec {
  return 'host' in c
    ? { kind: 'tcp', host: c.host, port: c.port, rtuOverTcp: c.rtuOverTcp }
    : { kind: 'serial', path: c.port, baud: c.baud, parity: c.parity, stopBits: c.stopBits };
}

/**
 * What a technician does on site, as engine calls: scans, adding what a scan found, reading and
 * writing meter settings, wiring checks, the bus monitor and per-bus timings. Plain async functions
 * with typed results; the IPC handlers and the CLI call them.
 */
export class Commissioning {
  constructor(private readonly d: CommissioningDeps) {
    d.buses.on('added', (key, bus) => d.monitors.add(key, bus, 'poll'));
    d.buses.on('removed', (key) => d.monitors.remove(key));
    const saved = JSON.parse(d.store.meta.get(BUS_SETTINGS_META) ?? '{}') as Record<string, unknown>;
    for (const [key, s] of Object.entries(saved)) d.buses.configure(key, parseBusSettings(s, key));
  }

  // ---- discovery ------------------------------------------------------------------------------

  async scanRtu(o: RtuScanOptions, hooks: ScanHooks<RtuPosition> = {}): Promise<ScanReport> {
    if (this.d.buses.find(`serial:${o.port}`))
      throw new CommissioningError(
        'busy',
        `${o.port} is being polled for configured devices; disable them before scanning this port`,
      );
    return scanRtu(this.d.library, o, this.withMonitor(hooks));
  }

  scanTcp(o: TcpScanOptions, hooks: ScanHooks<TcpPosition> = {}): Promise<ScanReport> {
    return scanTcp(this.d.library, o, this.withMonitor(hooks));
  }

  addFromScan(found: unknown, o: AddOptions = {}): DeviceTree {
    return this.d.addDevice(newDeviceFromScan(found, this.d.library, this.d.catalogue, o));
  }

  private withMonitor<P>(hooks: ScanHooks<P>): ScanHooks<P> {
    return {
      ...hooks,
      onBus: (key, bus) => {
        if (bus) this.d.monitors.add(key, bus, 'scan');
        else this.d.monitors.remove(key);
        hooks.onBus?.(key, bus);
      },
    };
  }

  // ---- meter settings of a load -----------------------------------------------------------------

  configFields(lid: number): ConfigDescriptor[] {
    return configDescriptors(this.modelOf(this.loadDevice(lid).device));
  }

  async readLoadConfig(lid: number): Promise<LoadConfig> {
    const { device } = this.loadDevice(lid);
    const model = this.modelOf(device);
    const fields = configDescriptors(model);
    const base = { lid, did: device.uid, deviceLabel: device.label, model: model.id };
    if (!fields.length)
      return {
        ...base,
        fields: [],
        message: `the ${model.name} has no settings in the device library`,
        readAt: Date.now(),
      };
    const readings = await this.withTarget(device, (t) => readConfig(t));
    const readAt = Date.now();
    this.rememberRead(device.uid, readings, readAt);
    const byKey = new Map(readings.map((r) => [r.key, r]));
    return {
      ...base,
      fields: fields.map((f) => ({
        ...f,
        value: byKey.get(f.key)?.value ?? null,
        choice: byKey.get(f.key)?.choice ?? null,
        readError: byKey.get(f.key)?.error ?? null,
      })),
      message: null,
      readAt,
    };
  }

  /**
   * Keeps a full read of a meter's settings as its last configuration read (served on its loads by
   * the Web API). A read where the meter answered nothing at all is not kept: the one before stays.
   */
  rememberRead(uid: number, readings: readonly ConfigReading[], readAt = Date.now()): void {
    if (!readings.some((r) => r.value !== null)) return;
    this.d.store.meterSettings.recordRead(
      uid,
      Object.fromEntries(readings.map((r) => [r.key, r.value])),
      readAt,
    );
  }

  /** Reads all settings of a Modbus meter now (queued behind polling on its bus) and keeps them. */
  async readDeviceConfig(uid: number): Promise<ConfigReading[]> {
    const device = this.d.store.config.device(uid);
    if (!device) throw new CommissioningError('not-found', `no device with uid ${uid}`);
    const readings = await this.withTarget(device, (t) => readConfig(t));
    this.rememberRead(uid, readings);
    return readings;
  }

  /** Makes a load the site's main (grid) meter or clears it; one main per site (a new one clears the old). */
  setMainMeter(lid: number, main: boolean): MainMeterChange {
    try {
      return setMainMeter(this.d.store, this.d.library, lid, main);
    } catch (e) {
      if (e instanceof MainMeterError) throw new CommissioningError(e.code, e.message);
      throw e;
    }
  }

  /** Writes settings to the meter of a load; every setting sent is logged with `who`. */
  async writeLoadConfig(
    lid: number,
    values: Readonly<Record<string, unknown>>,
    who: string,
  ): Promise<LoadWriteReport> {
    const { device, load } = this.loadDevice(lid);
    const report = await this.withTarget(device, (t) =>
      writeConfig(t, values, storeJournal(this.d.store.configWrites, t, { who, did: device.uid, lid })),
    );
    const applied = report.results.filter((r) => r.outcome === 'ok' || r.outcome === 'unverified');
    const readBack: Record<string, number> = {};
    for (const r of report.results) if (typeof r.readBack === 'number') readBack[r.key] = r.readBack;
    this.d.store.meterSettings.recordReadBack(device.uid, readBack);
    if (applied.length) {
      const meter = { ...((load.settings.meter as Record<string, number> | undefined) ?? {}) };
      for (const r of applied) meter[r.key] = r.readBack ?? r.requested;
      this.d.store.config.updateLoad(lid, { settings: { ...load.settings, meter } });
      // The wiring system the meter now measures is the device's `system` in the configuration too.
      const written = applied.find((r) => r.key === SYSTEM_TYPE_KEY);
      const model = device.model ? this.d.library.get(device.model) : undefined;
      const raw = written ? (written.readBack ?? written.requested) : undefined;
      const system = model && typeof raw === 'number' ? systemOfValue(model, raw) : undefined;
      if (system && system !== device.system) this.d.store.config.updateDevice(device.uid, { system });
    }
    return { ...report, lid, did: device.uid };
  }

  configWriteLog(filter: { did?: number; lid?: number; limit?: number } = {}): ConfigWriteEntry[] {
    return this.d.store.configWrites.list(filter);
  }

  // ---- wiring checks -----------------------------------------------------------------------------

  async checkDevice(uid: number): Promise<DeviceCheckReport> {
    const device = this.d.store.config.device(uid);
    if (!device) throw new CommissioningError('not-found', `no device with uid ${uid}`);
    const loadType: LoadType = this.d.store.config.loads({ did: uid })[0]?.type ?? 0;
    const report = await this.withTarget(device, (t) => checkMeter(t, { system: device.system, loadType }));
    return { ...report, uid };
  }

  // ---- identity -----------------------------------------------------------------------------------

  /** The serial number and firmware as last read and kept in the store; undefined if never read. */
  knownIdentity(uid: number): DeviceIdentity | undefined {
    const raw = this.d.store.meta.get(IDENTITY_META(uid));
    if (!raw) return undefined;
    try {
      const v = JSON.parse(raw) as DeviceIdentity;
      return typeof v.readAt === 'number' ? v : undefined;
    } catch {
      return undefined;
    }
  }

  /** Reads a Modbus meter's serial number and firmware now (queued behind polling on its bus) and keeps them. */
  async readIdentity(uid: number): Promise<DeviceIdentity> {
    const device = this.d.store.config.device(uid);
    if (!device) throw new CommissioningError('not-found', `no device with uid ${uid}`);
    const info = await this.withTarget(device, (t) => readModelInfo(t.bus, t.unit, t.model));
    const identity: DeviceIdentity = {
      serialNumber: info.serialNumber ?? null,
      firmware: info.firmware ?? null,
      readAt: Date.now(),
    };
    // Nothing at all may be a meter that did not answer: not kept, so the next ask reads again.
    if (identity.serialNumber !== null || identity.firmware !== null)
      this.d.store.meta.set(IDENTITY_META(uid), JSON.stringify(identity));
    return identity;
  }

  // ---- bus monitor and timings ---------------------------------------------------------------------

  busStats(key: string): BusStatsRow[] {
    const devices = this.d.store.config
      .devices()
      .filter(
        (d) =>
          (d.protocol === 'rtu' || d.protocol === 'tcp') &&
          lineKey(lineOf(d.connection as RtuConnection | TcpConnection)) === key,
      );
    return this.d.monitors.stats(key).map((s) => ({
      ...s,
      devices: devices
        .filter((d) => (d.connection as RtuConnection | TcpConnection).unit === s.unit)
        .map((d) => ({ uid: d.uid, label: d.label })),
    }));
  }

  /** Sets the timings of one line (a lineKey such as "serial:/dev/ttyUSB0"); kept in the store. */
  setBusSettings(key: string, settings: unknown): Partial<BusTimings> {
    if (!/^(serial|tcp):.+/.test(key))
      throw new CommissioningError('not-found', `"${key}" is not a bus key (serial:PATH or tcp:HOST:PORT)`);
    const timings = parseBusSettings(settings, key);
    this.d.buses.configure(key, timings);
    const saved = JSON.parse(this.d.store.meta.get(BUS_SETTINGS_META) ?? '{}') as Record<string, unknown>;
    saved[key] = this.d.buses.timingsOf(key);
    this.d.store.meta.set(BUS_SETTINGS_META, JSON.stringify(saved));
    return this.d.buses.timingsOf(key);
  }

  busSettings(key: string): Partial<BusTimings> {
    return this.d.buses.find(key)?.timings ?? this.d.buses.timingsOf(key);
  }

  // ---- helpers ------------------------------------------------------------------------------------

  private loadDevice(lid: number): {
    device: Device;
    load: NonNullable<ReturnType<Store['config']['load']>>;
  } {
    const load = this.d.store.config.load(lid);
    if (!load) throw new CommissioningError('not-found', `no load with uid ${lid}`);
    const device = this.d.store.config.device(load.did);
    if (!device) throw new CommissioningError('not-found', `load ${lid} has no device`);
    return { device, load };
  }

  private modelOf(device: Device) {
    if ((device.protocol !== 'rtu' && device.protocol !== 'tcp') || !device.model)
      throw new CommissioningError(
        'unsupported',
        `device ${device.uid} (${device.protocol}) has no Modbus meter settings`,
      );
    const model = this.d.library.get(device.model);
    if (!model)
      throw new CommissioningError(
        'unsupported',
        `device ${device.uid}: model "${device.model}" is not in the device library`,
      );
    return model;
  }

  /** Runs `fn` on the device's bus (shared with the poller, so requests queue behind its reads). */
  private async withTarget<T>(device: Device, fn: (t: ConfigTarget) => Promise<T>): Promise<T> {
    const model = this.modelOf(device);
    const c = device.connection as RtuConnection | TcpConnection;
    const bus = this.d.buses.acquire(lineOf(c));
    try {
      return await fn({ bus, model, unit: c.unit });
    } finally {
      await this.d.buses.release(bus);
    }
  }
}
