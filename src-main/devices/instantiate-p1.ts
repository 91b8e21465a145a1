import type { P1Connection } from '../../src-preload/contract/domain.js';
import type { NewDevice, NewSignal } from '../store/config-repo.js';
import type { SignalCatalogue } from './catalogue.js';

const ELECTRICITY = [
  'energy_import_t1',
  'energy_import_t2',
  'energy_export_t1',
  'energy_export_t2',
  'power_import',
  'power_export',
  'tariff',
  'voltage_l1',
  'voltage_l2',
  'voltage_l3',
  'current_l1',
  'current_l2',
  'current_l3',
  'active_power_import_l1',
  'active_power_import_l2',
  'active_power_import_l3',
  'active_power_export_l1',
  'active_power_export_l2',
  'active_power_export_l3',
  'power_failures',
  'long_power_failures',
  'text_message',
  'equipment_id',
];

function signal(catalogue: SignalCatalogue, key: string): NewSignal {
  const c = catalogue.key(key);
  return { key, si: c.si, kind: c.kind, type: c.type, unit: c.unit };
}

/** A P1 port: load 1 is the electricity meter, load 2 the gas meter on its M-Bus channel. */
export function deviceFromP1(
  connection: P1Connection,
  catalogue: SignalCatalogue,
  label = 'Smart meter (P1)',
): NewDevice {
  const settings = { ...connection };
  return {
    label,
    protocol: 'P1',
    model: null,
    partNumber: `DSMR ${connection.dsmr ?? '5.0'}`,
    system: '3P.N',
    connection,
    loads: [
      {
        label: 'Electricity',
        index: 1,
        type: 2,
        settings,
        signals: ELECTRICITY.map((k) => signal(catalogue, k)),
      },
      { label: 'Gas (M-Bus 1)', index: 2, type: 0, settings, signals: [signal(catalogue, 'gas_volume')] },
    ],
  };
}
