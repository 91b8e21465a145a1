import type { Device } from '../src-preload/contract/domain.js';
import { BusRegistry } from './bus/bus-registry.js';
import { loadCatalogue, type SignalCatalogue } from './devices/catalogue.js';
import { loadLibrary, type DeviceLibrary } from './devices/library.js';
import { rtuReaderFactory, tcpReaderFactory } from './drivers/modbus-factory.js';
import { MbusLines, meterBusReaderFactory } from './drivers/mbus-driver.js';
import { p1ReaderFactory } from './drivers/p1-driver.js';
import { Poller } from './poller/poller.js';
import type { ReaderFactories } from './poller/reader-factory.js';
import type { DeviceTree, NewDevice } from './store/config-repo.js';
import { Store } from './store/store.js';
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
  readonly catalogue: SignalCatalogue;
  readonly buses = new BusRegistry();
  readonly mbusLines = new MbusLines();
  readonly poller: Poller;
  readonly factories: ReaderFactories;
  private timers: NodeJS.Timeout[] = [];
  private closed = false;
  private readonly cleanups: (() => Promise<void> | void)[] = [];

  constructor(readonly config: EngineConfig) {
    this.catalogue = loadCatalogue();
    this.library = loadLibrary();
    this.store = new Store({ file: config.dbFile, rawRetentionMs: config.rawRetentionMs });
    this.poller = new Poller(this.store.samples);
    this.factories = {
      rtu: rtuReaderFactory(this.buses, this.library),
      tcp: tcpReaderFactory(this.buses, this.library),
      virtual: virtualReaderFactory(this.store),
      P1: p1ReaderFactory(),
      meterBus: meterBusReaderFactory(this.mbusLines),
    };
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
