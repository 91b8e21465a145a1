import type { TreeDevice } from '../../src-preload/contract/index.js';
import { isElectricityLoad } from '../devices/meter-settings.js';
import type { Engine } from '../engine.js';
import type { DeviceTree } from '../store/config-repo.js';

/**
 * The tree as the UI shows it: each signal with its catalogue name, each load with whether it is
 * the site's main meter and whether it can be (a load of an electricity meter).
 */
export function named(d: DeviceTree, engine: Pick<Engine, 'catalogue' | 'library' | 'store'>): TreeDevice {
  const main = engine.store.meterSettings.mainLoad();
  return {
    ...d,
    loads: d.loads.map((l) => ({
      ...l,
      main: l.uid === main,
      canBeMain: isElectricityLoad(d, l, engine.library),
      signals: l.signals.map((s) => ({ ...s, name: engine.catalogue.byKey.get(s.key)?.name ?? s.key })),
    })),
  };
}
