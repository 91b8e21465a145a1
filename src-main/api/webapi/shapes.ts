import type { Static } from '@sinclair/typebox';
import type { Device, Load, Protocol, Signal } from '../../../src-preload/contract/domain.js';
import type { SeedMeterSettings } from '../../devices/meter-settings.js';
import type { DeviceWire, LoadWire, SignalWire } from '../schemas/webapi.js';

/** The seed's collection shape: an object keyed by uid (as a decimal string). */
export function byUid<T extends { uid: number }>(items: readonly T[]): Record<string, T> {
  const out: Record<string, T> = {};
  for (const x of items) out[String(x.uid)] = x;
  return out;
}

export const deviceWire = (d: Device): Static<typeof DeviceWire> => ({
  uid: d.uid,
  label: d.label,
  partNumber: d.partNumber,
  system: d.system,
});

/**
 * A load with its protocol settings under a key named after its device's protocol; a meter's load
 * has the seed's meter settings (main, system, ct, …, configReadAt) there too, beside the connection.
 */
export const loadWire = (
  l: Load,
  protocol: Protocol | undefined,
  meter?: SeedMeterSettings,
): Static<typeof LoadWire> => ({
  uid: l.uid,
  label: l.label,
  enable: l.enable,
  index: l.index,
  type: l.type,
  did: l.did,
  ...(protocol ? { [protocol]: meter ? { ...l.settings, ...meter } : l.settings } : {}),
});

export const signalWire = (s: Signal): Static<typeof SignalWire> => ({
  uid: s.uid,
  si: s.si,
  sir: s.sir,
  enable: s.enable,
  lid: s.lid,
  did: s.did,
});
