import type { RtuConnection, TcpConnection } from '../../src-preload/contract/index.js';
import { lineKey } from '../bus/bus-registry.js';
import { lineOf } from '../commissioning/service.js';
import type { Engine } from '../engine.js';

export interface DeviceRef {
  did: number;
  label: string;
}

/**
 * Which configured device sits on a bus (its line key) at a unit id: frames name the line and the
 * unit, the technician thinks in devices.
 */
export function deviceIndex(engine: Engine): (busKey: string, unit: number) => DeviceRef | null {
  const map = new Map<string, DeviceRef>();
  for (const d of engine.store.config.devices()) {
    if (d.protocol !== 'rtu' && d.protocol !== 'tcp') continue;
    const c = d.connection as RtuConnection | TcpConnection;
    map.set(`${lineKey(lineOf(c))}|${c.unit}`, { did: d.uid, label: d.label });
  }
  return (busKey, unit) => map.get(`${busKey}|${unit}`) ?? null;
}
