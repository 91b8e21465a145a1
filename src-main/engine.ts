import type { Device, MeterBusConnection, P1Connection } from '../src-preload/contract/domain.js';
import { BusRegistry } from './bus/bus-registry.js';
import { detectP1, type P1DetectOptions, type P1DetectResult } from './bus/p1-detect.js';
import { deviceFromMbusReading } from './devices/instantiate-mbus.js';
import { deviceFromP1 } from './devices/instantiate-p1.js';
import { scanMbusLine, type MbusLineFound, type MbusLineScanOptions } from './discovery/mbus-line-scan.js';
import type { BusTimings } from './bus/modbus-bus.js';
import { MonitorHub, type BusSummary, type FrameBatch } from './bus/monitor-hub.js';
import type { MonitorFrame } from './bus/monitor.js';
import type { AddOptions } from './commissioning/add-from-scan.js';
import type { MainMeterChange } from './commissioning/main-meter.js';
import type { ConfigDescriptor } from './commissioning/config-fields.js';
import {
  Commissioning,
  type BusStatsRow,
  type DeviceCheckReport,
  type LoadConfig,
  type LoadWriteReport,
} from './commissioning/service.js';
import { loadCatalogue, type SignalCatalogue } from './devices/catalogue.js';
import { loadLibrary, type DeviceLibrary } from './devices/library.js';
import { UserModels } from './mapping/user-models.js';
import type { RtuScanOptions } from './discovery/rtu-scan.js';
import type { RtuPosition, ScanHooks, ScanReport, TcpPosition } from './discovery/scan-types.js';
import type { TcpScanOptions } from './discovery/tcp-scan.js';
import { rtuReaderFactory, tcpReaderFactory } from './drivers/modbus-factory.js';
import { MbusLines, meterBusReaderFactory } from './drivers/mbus-driver.js';
import { P1DeviceReader, p1ReaderFactory } from './drivers/p1-driver.js';
import { Integrations } from './integrations/hub.js';
import { Poller } from './poller/poller.js';
import type { ReaderFactories } from './poller/reader-factory.js';
import type { DeviceTree, NewDevice } from './store/config-repo.js';
import type { ConfigWriteEntry } from './store/config-writes-repo.js';
import { appVersion } from './bridge/version.js';
import type { CrossCheckResult } from './site/cross-check.js';
import { crossCheck, type CrossCheckOptions, type P1Source } from './site/cross-check-run.js';
import { chromiumPrinter } from './site/report-print.js';
import type { PdfPrinter, ReportFormat, SiteReportFile } from './site/report-types.js';
import { siteReport } from './site/report.js';
import { SitePlan } from './site/site-service.js';
import { SiteWork } from './site/site-work.js';
import { Store } from './store/store.js';
import { listPorts, type PortInfo } from './transport/ports.js';
import { logger } from './util/log.js';
import { buildVirtualDevice, type VirtualDeviceSpec } from './virtual/validate.js';
import { virtualReaderFactory } from './virtual/virtual-reader.js';

export interface EngineConfig {
  dbFile: string;
  rawRetentionMs?: number;
  /** Poll nothing (one-shot CLI commands that only need the store). */
  poll?: boolean;
}

const log = logger('engine');

/**
 * The composition root: builds store, library, buses, drivers and poller from a config. The CLI, the
 * Electron entry and the tests all start the engine through here; nothing registers itself on import.
 */
export class Engine {
  readonly store: Store;
  readonly library: DeviceLibrary;
  /** Register maps made on site (models/ next to the database), part of `library` once loaded or saved. */
  readonly userModels: UserModels;
  readonly catalogue: SignalCatalogue;
  readonly buses = new BusRegistry();
  readonly mbusLines = new MbusLines();
  readonly poller: Poller;
  readonly factories: ReaderFactories;
  /** Every open Modbus bus (polling and scanning) for the bus monitor. */
  readonly monitors = new MonitorHub();
  readonly commissioning: Commissioning;
  /** The site plan (site/): kept in the store, imported and exported as a .emssite file. */
  readonly sitePlan: SitePlan;
  /** Commissioning against the plan: plan vs wire, writing the plan, load steps, P1 check, drift. */
  readonly site: SiteWork;
  /** MQTT, InfluxDB, Prometheus and the Modbus gateway: all off until `integrations.configure` says otherwise. */
  readonly integrations: Integrations;
  /** Prints the commissioning report to PDF; the desktop app swaps in Electron's printToPDF. */
  private pdfPrinter: PdfPrinter = chromiumPrinter();
  private timers: NodeJS.Timeout[] = [];
  private closed = false;
  private readonly cleanups: (() => Promise<void> | void)[] = [];

  constructor(readonly config: EngineConfig) {
    this.catalogue = loadCatalogue();
    // The engine's own copy: maps made on site join it without touching the shared, cached library.
    this.library = loadLibrary().clone();
    this.userModels = new UserModels(config.dbFile, this.library, this.catalogue);
    this.userModels.loadAll();
    // Short: the engine writes on the event loop, and a flush locked out keeps its batch for the next try.
    this.store = new Store({
      file: config.dbFile,
      rawRetentionMs: config.rawRetentionMs,
      busyTimeoutMs: 250,
    });
    this.poller = new Poller(this.store.samples);
    this.factories = {
      rtu: rtuReaderFactory(this.buses, this.library),
      tcp: tcpReaderFactory(this.buses, this.library),
      virtual: virtualReaderFactory(this.store),
      P1: p1ReaderFactory(),
      meterBus: meterBusReaderFactory(this.mbusLines),
    };
    this.commissioning = new Commissioning({
      store: this.store,
      library: this.library,
      catalogue: this.catalogue,
      buses: this.buses,
      monitors: this.monitors,
      addDevice: (d) => this.addDevice(d),
    });
    this.sitePlan = new SitePlan(this.store, this.library);
    this.site = new SiteWork({
      store: this.store,
      library: this.library,
      catalogue: this.catalogue,
      buses: this.buses,
      plan: this.sitePlan,
      commissioning: this.commissioning,
      addDevice: (d) => this.addDevice(d),
    });
    this.cleanups.push(() => this.monitors.close());
    this.integrations = new Integrations(this);
    this.cleanups.push(() => this.integrations.close());
  }

  /** Starts polling every enabled device in the configuration, and the store's housekeeping. */
  start(): void {
    if (this.config.poll === false) return;
    for (const d of this.store.config.devices()) this.attach(d);
    this.poller.start();
    const flush = setInterval(() => {
      try {
        this.store.samples.flush();
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'store flush failed; samples kept for the next try');
      }
    }, 1000);
    const trim = setInterval(() => {
      try {
        this.store.samples.trimRaw(this.store.rawRetentionMs);
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'raw sample retention failed');
      }
    }, 600_000);
    flush.unref();
    trim.unref();
    this.timers.push(flush, trim);
  }

  /** Starts (or restarts) polling of one configured device. */
  attach(device: Device): void {
    this.poller.remove(device.uid);
    if (!device.enable) return;
    const factory = this.factories[device.protocol];
    if (!factory) {
      log.warn({ uid: device.uid, protocol: device.protocol }, 'no driver for this protocol');
      return;
    }
    const loads = new Set(
      this.store.config
        .loads({ did: device.uid })
        .filter((l) => l.enable)
        .map((l) => l.uid),
    );
    const signals = this.store.config
      .signals({ did: device.uid })
      .filter((s) => s.enable && loads.has(s.lid));
    try {
      this.poller.add({ device, signals, reader: factory(device, signals) });
    } catch (err) {
      log.error({ uid: device.uid, err: (err as Error).message }, 'cannot start polling device');
      throw err;
    }
  }

  addDevice(d: NewDevice): DeviceTree {
    const tree = this.store.config.addDevice(d);
    if (this.config.poll !== false) this.attach(tree);
    return tree;
  }

  /** Validates a computed device against the catalogue and configuration (VirtualValidationError), then adds it. */
  addVirtualDevice(spec: VirtualDeviceSpec): DeviceTree {
    return this.addDevice(buildVirtualDevice(spec, { catalogue: this.catalogue, config: this.store.config }));
  }

  removeDevice(uid: number): boolean {
    this.poller.remove(uid);
    return this.store.config.removeDevice(uid);
  }

  // ---- commissioning on site: plain async calls for the IPC handlers and the CLI (commissioning/service.ts)

  /** Serial ports with USB ids, likely RS485 adapters marked. */
  listPorts(): Promise<PortInfo[]> {
    return listPorts();
  }

  /** Scans a serial port for Modbus RTU meters; refused while configured devices poll that port. */
  scanRtu(o: RtuScanOptions, hooks?: ScanHooks<RtuPosition>): Promise<ScanReport> {
    return this.commissioning.scanRtu(o, hooks);
  }

  scanTcp(o: TcpScanOptions, hooks?: ScanHooks<TcpPosition>): Promise<ScanReport> {
    return this.commissioning.scanTcp(o, hooks);
  }

  /** Adds a meter a scan found (one FoundDevice, validated) and starts polling it. */
  addFromScan(found: unknown, o?: AddOptions): DeviceTree {
    return this.commissioning.addFromScan(found, o);
  }

  /** Descriptors of a load's meter settings, for building the form. */
  configFields(lid: number): ConfigDescriptor[] {
    return this.commissioning.configFields(lid);
  }

  readLoadConfig(lid: number): Promise<LoadConfig> {
    return this.commissioning.readLoadConfig(lid);
  }

  /** Validates, writes in order, reads back and logs; stops at the first refusal or mismatch. */
  writeLoadConfig(
    lid: number,
    values: Readonly<Record<string, unknown>>,
    who: string,
  ): Promise<LoadWriteReport> {
    return this.commissioning.writeLoadConfig(lid, values, who);
  }

  /** Makes a load the site's main (grid) meter, or clears it; one main per site (a new one clears the old). */
  setMainMeter(lid: number, main: boolean): MainMeterChange {
    return this.commissioning.setMainMeter(lid, main);
  }

  configWriteLog(filter?: { did?: number; lid?: number; limit?: number }): ConfigWriteEntry[] {
    return this.commissioning.configWriteLog(filter);
  }

  /** Reads a meter and compares its own view of the wiring with the configuration. */
  checkDevice(uid: number): Promise<DeviceCheckReport> {
    return this.commissioning.checkDevice(uid);
  }

  busList(): BusSummary[] {
    return this.monitors.list();
  }

  busFrames(key: string, sinceSeq = 0): MonitorFrame[] {
    return this.monitors.frames(key, sinceSeq);
  }

  busStats(key: string): BusStatsRow[] {
    return this.commissioning.busStats(key);
  }

  /** New monitor frames in batches (per bus, ~250 ms); returns the unsubscribe. */
  onBusFrames(listener: (batch: FrameBatch) => void): () => void {
    return this.monitors.subscribe(listener);
  }

  /** Per-bus timings (timeout, floor, latency factor, retries, inter-request delay), kept in the store. */
  setBusSettings(key: string, settings: unknown): Partial<BusTimings> {
    return this.commissioning.setBusSettings(key, settings);
  }

  busSettings(key: string): Partial<BusTimings> {
    return this.commissioning.busSettings(key);
  }

  // ---- M-Bus and P1 discovery (the UI's discovery page and the CLI use the same functions)

  scanMbus(o: MbusLineScanOptions, hooks?: Parameters<typeof scanMbusLine>[1]): Promise<MbusLineFound[]> {
    return scanMbusLine(o, hooks);
  }

  /** Adds a meter found by an M-Bus scan, addressed the way it was found, configured from its readout. */
  addMbusMeter(found: MbusLineFound, port: string, label?: string): DeviceTree {
    if (!found.reading) throw new Error('this meter could not be read; nothing to configure');
    const connection: MeterBusConnection =
      found.primaryAddress !== undefined && found.primaryAddress < 251
        ? { port, baud: found.baud, primary: found.primaryAddress }
        : { port, baud: found.baud, secondary: found.secondaryAddress ?? '' };
    return this.addDevice(deviceFromMbusReading(found.reading, connection, this.catalogue, label));
  }

  detectP1(path: string, o?: P1DetectOptions): Promise<P1DetectResult> {
    return detectP1(path, o);
  }

  /** Adds a P1 port with the settings detection found. */
  addP1(detected: Extract<P1DetectResult, { ok: true }>, label?: string): DeviceTree {
    const s = detected.settings;
    const connection: P1Connection = {
      port: s.path,
      baud: s.baudRate,
      parity: s.parity,
      dataBits: s.dataBits === 7 ? 7 : 8,
      ...(detected.dsmr ? { dsmr: detected.dsmr } : {}),
    };
    return this.addDevice(deviceFromP1(connection, this.catalogue, label));
  }

  // ---- the site: commissioning report (site/report*.ts)

  /** The P1 cross-check (site/cross-check-run.ts): the P1 meter's telegrams shared with the poller while it polls. */
  siteCrossCheck(o: CrossCheckOptions = {}): Promise<CrossCheckResult> {
    return crossCheck(this.site, (device) => this.p1Source(device), o);
  }

  private p1Source(device: Device): P1Source {
    const shared = this.poller.readerOf(device.uid);
    const reader =
      shared instanceof P1DeviceReader ? shared : new P1DeviceReader(device.connection as P1Connection);
    return {
      read: async () => ({ reading: await reader.read(), receivedAt: reader.receivedAt }),
      close: () => (reader === shared ? Promise.resolve() : reader.close()),
    };
  }

  /** The commissioning report of the site as the store holds it now: HTML text, or PDF bytes. */
  siteReport(format: ReportFormat, o: { now?: Date } = {}): Promise<SiteReportFile> {
    return siteReport(
      { store: this.store, library: this.library, catalogue: this.catalogue, sitePlan: this.sitePlan },
      format,
      this.pdfPrinter,
      { now: o.now, appVersion: appVersion() },
    );
  }

  /** The desktop app prints with Electron (src-main/electron/pdf-printer.ts); headless stays on Chromium. */
  usePdfPrinter(printer: PdfPrinter): void {
    this.pdfPrinter = printer;
  }

  onClose(fn: () => Promise<void> | void): void {
    this.cleanups.push(fn);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    for (const fn of this.cleanups.reverse()) await fn();
    await this.poller.stop();
    await this.buses.closeAll();
    await this.mbusLines.closeAll();
    this.store.close();
  }
}
