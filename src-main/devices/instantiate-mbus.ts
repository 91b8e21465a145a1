import type { MeterBusConnection } from '../../src-preload/contract/domain.js';
import type { MbusReading } from '../bus/mbus-master.js';
import { mbusValues } from '../drivers/mbus-driver.js';
import type { NewDevice } from '../store/config-repo.js';
import type { SignalCatalogue } from './catalogue.js';

/**
 * A configuration entry for an M-Bus meter from one real readout: the signals are exactly the catalogue
 * values this meter reports, so nothing is configured that it cannot deliver.
 */
export function deviceFromMbusReading(
  reading: MbusReading,
  connection: MeterBusConnection,
  catalogue: SignalCatalogue,
  label?: string,
): NewDevice {
  const h = reading.header;
  const keys = [...mbusValues(reading).keys()].filter((k) => catalogue.byKey.has(k));
  const name = h
    ? `${h.manufacturer} ${h.mediumName ?? 'meter'} ${h.id}`
    : `M-Bus meter @${connection.primary ?? connection.secondary}`;
  const settings = {
    ...connection,
    ...(h ? { id: h.id, manufacturer: h.manufacturer, version: h.version, medium: h.medium } : {}),
  };
  return {
    label: label ?? name,
    protocol: 'meterBus',
    model: null,
    partNumber: h ? `${h.manufacturer}-v${h.version}` : 'M-Bus',
    system: '3P.N',
    connection,
    loads: [
      {
        label: h?.mediumName ?? 'M-Bus meter',
        index: 1,
        type: 0,
        settings,
        signals: keys.map((key) => {
          const c = catalogue.key(key);
          return { key, si: c.si, kind: c.kind, type: c.type, unit: c.unit };
        }),
      },
    ],
  };
}
