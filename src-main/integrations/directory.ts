import type { Device, Load, Signal } from '../../src-preload/contract/domain.js';
import type { SignalCatalogue } from '../devices/catalogue.js';
import type { DeviceLibrary } from '../devices/library.js';
import type { ConfigRepo } from '../store/config-repo.js';

/** A signal with everything an outside system labels it by. */
export interface SignalInfo {
  signal: Signal;
  load: Load;
  device: Device;
  /** Catalogue name ("Voltage L1-N"); the key when the catalogue does not know it. */
  name: string;
}

export interface DeviceInfo {
  device: Device;
  manufacturer: string;
  model: string;
  /** From the connection where the protocol addresses a meter by it (M-Bus secondary id), else as the meter reported it. */
  serialNumber: string | null;
  /** As the meter reported it (Modbus meters whose model publishes it), null until read. */
  firmware: string | null;
  signals: SignalInfo[];
}

/**
 * The configuration as the integrations need it, read through the store's functions and cached: the
 * sample stream carries signal uids only. Rebuilt when asked for a uid it does not know and at most
 * every `maxAgeMs` otherwise, so renamed or removed devices show up without any event plumbing.
 */
export class SignalDirectory {
  private bySignal = new Map<number, SignalInfo>();
  private byDevice = new Map<number, DeviceInfo>();
  private builtAt = 0;

  constructor(
    private readonly config: ConfigRepo,
    private readonly catalogue: SignalCatalogue,
    private readonly library: DeviceLibrary,
    private readonly maxAgeMs = 5000,
    private readonly identity: (
      uid: number,
    ) => { serialNumber: string | null; firmware: string | null } | undefined = () => undefined,
  ) {}

  signal(uid: number): SignalInfo | undefined {
    this.fresh();
    let s = this.bySignal.get(uid);
    if (!s && Date.now() - this.builtAt > 200) {
      this.rebuild();
      s = this.bySignal.get(uid);
    }
    return s;
  }

  devices(): DeviceInfo[] {
    this.fresh();
    return [...this.byDevice.values()];
  }

  device(uid: number): DeviceInfo | undefined {
    this.fresh();
    return this.byDevice.get(uid);
  }

  private fresh(): void {
    if (Date.now() - this.builtAt > this.maxAgeMs) this.rebuild();
  }

  rebuild(): void {
    const bySignal = new Map<number, SignalInfo>();
    const byDevice = new Map<number, DeviceInfo>();
    for (const tree of this.config.tree()) {
      const { loads, ...device } = tree;
      const model = device.model ? this.library.get(device.model) : undefined;
      const conn = device.connection as { secondary?: string };
      const read = this.identity(device.uid);
      const info: DeviceInfo = {
        device,
        manufacturer: model?.vendor ?? vendorOf(device),
        model: model?.name ?? device.partNumber,
        serialNumber:
          typeof conn.secondary === 'string' && conn.secondary
            ? conn.secondary
            : (read?.serialNumber ?? null),
        firmware: read?.firmware ?? null,
        signals: [],
      };
      for (const l of loads) {
        const { signals, ...load } = l;
        for (const signal of signals) {
          const s: SignalInfo = {
            signal,
            load,
            device,
            name: this.catalogue.byKey.get(signal.key)?.name ?? signal.key,
          };
          bySignal.set(signal.uid, s);
          info.signals.push(s);
        }
      }
      byDevice.set(device.uid, info);
    }
    this.bySignal = bySignal;
    this.byDevice = byDevice;
    this.builtAt = Date.now();
  }
}

function vendorOf(d: Device): string {
  if (d.protocol === 'P1') return 'DSMR smart meter';
  if (d.protocol === 'meterBus') return 'M-Bus meter';
  if (d.protocol === 'virtual') return 'EMS Commissioner';
  return 'Modbus meter';
}
