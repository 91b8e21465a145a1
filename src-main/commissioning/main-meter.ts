import { isElectricityLoad } from '../devices/meter-settings.js';
import type { DeviceLibrary } from '../devices/library.js';
import type { Store } from '../store/store.js';

export class MainMeterError extends Error {
  constructor(
    readonly code: 'not-found' | 'unsupported',
    message: string,
  ) {
    super(message);
    this.name = 'MainMeterError';
  }
}

export interface MainMeterChange {
  /** The site's main meter load now, null when there is none. */
  main: number | null;
  /** The main meter load before, null when there was none. */
  previous: number | null;
}

/**
 * Makes a load the site's main (grid) meter, or stops it being the main (`main` false). There is
 * one main per site: choosing a new main clears the one before. Only loads of electricity meters.
 */
export function setMainMeter(
  store: Store,
  library: DeviceLibrary,
  lid: number,
  main: boolean,
): MainMeterChange {
  const load = store.config.load(lid);
  if (!load) throw new MainMeterError('not-found', `no load with uid ${lid}`);
  const device = store.config.device(load.did);
  if (!device) throw new MainMeterError('not-found', `load ${lid} has no device`);
  if (!isElectricityLoad(device, load, library))
    throw new MainMeterError(
      'unsupported',
      `load ${lid} ("${load.label}" of ${device.protocol} device ${device.uid}) is not the load of an electricity meter`,
    );
  const previous = store.meterSettings.mainLoad() ?? null;
  if (main) store.meterSettings.setMainLoad(lid);
  else if (previous === lid) store.meterSettings.setMainLoad(undefined);
  return { main: store.meterSettings.mainLoad() ?? null, previous };
}
