import { currentLanguage } from '../../i18n/index.js';
import type { PlannedBus, PlannedDevice, SiteRole } from '../../../../src-preload/contract/index.js';

/** The roles and wiring systems the plan knows (the contract's schema holds the same lists). */
export const ROLES = [
  'grid',
  'production',
  'consumption',
  'sub-meter',
] as const satisfies readonly SiteRole[];
export const SYSTEMS = ['1P', '2P', '3P', '3P.N'] as const;
export const BUS_KINDS = ['serial', 'tcp', 'mbus', 'p1'] as const;

/** A bus of another kind, keeping the port where both kinds have one. */
export function busOfKind(kind: PlannedBus['kind'], from: PlannedBus): PlannedBus {
  const port = 'port' in from && typeof from.port === 'string' ? from.port : '/dev/ttyUSB0';
  switch (kind) {
    case 'serial':
      return { kind, port, baud: 9600, parity: 'none', stopBits: 1 };
    case 'tcp':
      return { kind, host: from.kind === 'tcp' ? from.host : '192.168.1.10', port: 502 };
    case 'mbus':
      return { kind, port, baud: 2400 };
    case 'p1':
      return { kind, port };
  }
}

/** A new planned meter: a Modbus meter at unit 1 of the first line the plan already uses. */
export function newDevice(first: PlannedDevice | undefined, model: string, label: string): PlannedDevice {
  const bus: PlannedBus =
    first && (first.bus.kind === 'serial' || first.bus.kind === 'tcp')
      ? first.bus
      : { kind: 'tcp', host: '192.168.1.10', port: 502 };
  return { label, model, bus, unit: 1, role: 'consumption' };
}

/** The model a bus kind implies: M-Bus and P1 devices are planned as "meterBus" and "P1". */
export function modelForBus(kind: PlannedBus['kind'], current: string, firstModbus: string): string {
  if (kind === 'mbus') return 'meterBus';
  if (kind === 'p1') return 'P1';
  return current === 'meterBus' || current === 'P1' ? firstModbus : current;
}

/** A number field's text → a number, or undefined for an empty field. */
export function numberOrUndefined(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text.replace(',', '.'));
  return Number.isFinite(n) ? n : undefined;
}

/** Drops keys whose value is undefined, so the plan holds no empty optional fields. */
export function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Saves bytes as a download in the browser and the desktop window alike. */
export function download(fileName: string, data: BlobPart, type: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([data], { type }));
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** A setting's value as the meter holds it (40, 0.5, 15): no padding to significant digits. */
export function formatSetting(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v.toLocaleString(currentLanguage(), { maximumFractionDigits: 6, useGrouping: false });
}
