import type { SystemType } from '../../src-preload/contract/domain.js';
import type { PlannedDevice, Site } from '../../src-preload/contract/site.js';
import type { DeviceLibrary } from '../devices/library.js';
import { busKey, plannedSettings } from './site-file.js';

/** A device seen on the wire (by a scan or by probing an address), with what it said about itself. */
export interface WireDevice {
  /** busKey form: "serial:/dev/ttyUSB0", "tcp:host:port", "mbus:/dev/ttyUSB1", "p1:/dev/ttyUSB2". */
  bus: string;
  unit?: number;
  mbusAddress?: number | string;
  kind: 'meter' | 'unknown' | 'not-a-meter';
  model?: string;
  modelName?: string;
  partNumber?: string;
  serialNumber?: string;
  firmware?: string;
  system?: SystemType;
  /** The meter's settings as read, by config key (null: could not be read). */
  settings: Record<string, number | null>;
  /** The configured device at this address, if any. */
  uid?: number;
  /** How it was seen: a scan, a probe of the planned address, or the configuration (P1, M-Bus). */
  source: 'scan' | 'probe' | 'configured';
}

export interface Difference {
  /** "model", "system", "ct_ratio", "firmware", "serial", or a setting's key. */
  field: string;
  planned: string | number;
  found: string | number | null;
}

export interface PlanMatch {
  index: number;
  label: string;
  outcome: 'ok' | 'differs' | 'missing';
  /** Matched by bus + address, or by serial number (when the address differs). */
  matchedBy: 'address' | 'serial' | null;
  wire: WireDevice | null;
  differences: Difference[];
}

export interface PlanCheck {
  at: number;
  ok: boolean;
  matches: PlanMatch[];
  /** Found on the wire, not in the plan. */
  unplanned: WireDevice[];
  /** Lines that could not be asked (an adapter unplugged, a host unreachable). */
  notes: string[];
}

function sameAddress(p: PlannedDevice, w: WireDevice): boolean {
  if (busKey(p.bus) !== w.bus) return false;
  if (p.bus.kind === 'p1') return true;
  if (p.unit !== undefined) return w.unit === p.unit;
  if (p.mbusAddress !== undefined) return String(w.mbusAddress) === String(p.mbusAddress);
  return false;
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= Math.max(1e-6, Math.abs(a) * 1e-4);

function differences(p: PlannedDevice, w: WireDevice, library: DeviceLibrary): Difference[] {
  const out: Difference[] = [];
  const modbus = p.bus.kind === 'serial' || p.bus.kind === 'tcp';
  if (modbus && w.model !== p.model) {
    out.push({ field: 'model', planned: p.model, found: w.model ?? (w.kind === 'meter' ? null : w.kind) });
    return out; // settings of another model say nothing
  }
  if (p.serialNumber !== undefined && w.serialNumber !== undefined && p.serialNumber !== w.serialNumber)
    out.push({ field: 'serial', planned: p.serialNumber, found: w.serialNumber });
  if (p.firmware !== undefined && p.firmware !== w.firmware)
    out.push({ field: 'firmware', planned: p.firmware, found: w.firmware ?? null });
  if (p.system !== undefined && w.system !== undefined && p.system !== w.system)
    out.push({ field: 'system', planned: p.system, found: w.system });
  if (!modbus) return out;
  for (const [key, value] of Object.entries(plannedSettings(p, library))) {
    // The wiring system is compared above as 3P.N/1P, not as a register value.
    if (key === 'system_type' && p.system !== undefined && w.system !== undefined) continue;
    const found = w.settings[key];
    if (found === undefined || found === null || !close(found, value))
      out.push({ field: key, planned: value, found: found ?? null });
  }
  return out;
}

/**
 * Each planned device against what the wire showed: matched by bus + unit (or M-Bus address), else by
 * serial number; then found and right / found with differences / missing; and what was found unplanned.
 * Pure: the wire devices come from a scan, a probe or the configuration.
 */
export function matchPlan(
  site: Site,
  wire: readonly WireDevice[],
  library: DeviceLibrary,
  at = Date.now(),
): PlanCheck {
  const used = new Set<WireDevice>();
  const matches = site.devices.map((p, index): PlanMatch => {
    let w = wire.find((x) => !used.has(x) && x.kind !== 'not-a-meter' && sameAddress(p, x));
    let matchedBy: PlanMatch['matchedBy'] = w ? 'address' : null;
    if (!w && p.serialNumber !== undefined) {
      w = wire.find((x) => !used.has(x) && x.serialNumber === p.serialNumber);
      if (w) matchedBy = 'serial';
    }
    if (!w) return { index, label: p.label, outcome: 'missing', matchedBy, wire: null, differences: [] };
    used.add(w);
    const diffs = differences(p, w, library);
    if (matchedBy === 'serial')
      diffs.unshift({
        field: 'address',
        planned: `${busKey(p.bus)} unit ${p.unit ?? p.mbusAddress ?? '?'}`,
        found: `${w.bus} unit ${w.unit ?? w.mbusAddress ?? '?'}`,
      });
    return {
      index,
      label: p.label,
      outcome: diffs.length ? 'differs' : 'ok',
      matchedBy,
      wire: w,
      differences: diffs,
    };
  });
  const unplanned = wire.filter((w) => !used.has(w) && w.kind !== 'not-a-meter');
  return {
    at,
    ok: matches.every((m) => m.outcome === 'ok') && !unplanned.length,
    matches,
    unplanned,
    notes: [],
  };
}
