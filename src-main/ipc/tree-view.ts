import type { TreeDevice } from '../../src-preload/contract/index.js';
import type { SignalCatalogue } from '../devices/catalogue.js';
import type { DeviceTree } from '../store/config-repo.js';

/** The tree as the UI shows it: each signal with its catalogue name. */
export function named(d: DeviceTree, catalogue: SignalCatalogue): TreeDevice {
  return {
    ...d,
    loads: d.loads.map((l) => ({
      ...l,
      signals: l.signals.map((s) => ({ ...s, name: catalogue.byKey.get(s.key)?.name ?? s.key })),
    })),
  };
}
