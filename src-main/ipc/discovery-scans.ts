import { randomUUID } from 'node:crypto';
import type { FoundDevice as FoundView, FoundValue } from '../../src-preload/contract/index.js';
import { lineOf } from '../commissioning/service.js';
import type { FoundDevice } from '../discovery/scan-types.js';
import { serialLabel } from '../discovery/scan-order.js';
import { ModbusDriver } from '../drivers/modbus-driver.js';
import { isSunSpecId } from '../drivers/sunspec-model.js';
import type { Engine } from '../engine.js';

/** Keys worth a glance right after a scan, in order of preference; the first three present are read. */
const GLANCE = [
  'voltage_l1',
  'voltage',
  'active_power',
  'current_l1',
  'current',
  'frequency',
  'energy_import',
];

export interface ScanEntry {
  scanId: string;
  abort: AbortController;
  running: boolean;
  found: FoundDevice[];
  views: FoundView[];
}

/** Scans of one engine, the running ones and the last few finished (their results can still be added). */
export class ScanRegistry {
  private readonly scans = new Map<string, ScanEntry>();

  create(): ScanEntry {
    const e: ScanEntry = {
      scanId: randomUUID().slice(0, 8),
      abort: new AbortController(),
      running: true,
      found: [],
      views: [],
    };
    this.scans.set(e.scanId, e);
    // Keep the five newest.
    for (const id of [...this.scans.keys()].slice(0, -5))
      if (!this.scans.get(id)?.running) this.scans.delete(id);
    return e;
  }

  get(scanId: string): ScanEntry | undefined {
    return this.scans.get(scanId);
  }

  /** The finished scans still remembered, newest first (the site's plan check reads their results). */
  finished(): ScanEntry[] {
    return [...this.scans.values()].filter((e) => !e.running).reverse();
  }

  cancelAll(): void {
    for (const e of this.scans.values()) e.abort.abort();
  }
}

const registries = new WeakMap<Engine, ScanRegistry>();
export function scansOf(engine: Engine): ScanRegistry {
  let r = registries.get(engine);
  if (!r) {
    const reg = new ScanRegistry();
    registries.set(engine, reg);
    engine.onClose(() => reg.cancelAll());
    r = reg;
  }
  return r;
}

export function foundView(engine: Engine, scanId: string, index: number, f: FoundDevice): FoundView {
  const c = f.connection;
  const model = f.model ? engine.library.get(f.model) : undefined;
  const name = model ? `${model.vendor} ${model.name}` : [f.vendor, f.name].filter(Boolean).join(' ');
  return {
    id: `${scanId}/${index}`,
    protocol: f.protocol,
    connection: { ...c },
    unit: c.unit,
    kind: f.kind,
    model: f.kind === 'meter' ? (model?.id ?? (isSunSpecId(f.model) ? f.model! : null)) : null,
    modelName: `${name || (f.kind === 'not-a-meter' ? 'Not a meter' : 'Unknown device')}${f.variant ? ` (${f.variant})` : ''}`,
    settings: 'host' in c ? `${c.host}:${c.port}` : serialLabel(c.baud, c.parity, c.stopBits),
    serialNumber: f.serialNumber ?? null,
    latencyMs: Math.round(f.latencyMs),
    firstValues: [],
    note: f.note ?? null,
  };
}

/**
 * One read of a few signals of an identified meter, so the results table shows it is really there
 * (voltage, power): the model's own driver on the engine's shared bus for that line.
 */
export async function glance(engine: Engine, f: FoundDevice, signal: AbortSignal): Promise<FoundValue[]> {
  const model = f.kind === 'meter' && f.model ? engine.library.get(f.model) : undefined;
  if (!model || signal.aborted) return [];
  const keys = GLANCE.filter((k) => model.signals.some((s) => s.key === k)).slice(0, 3);
  if (!keys.length) return [];
  let bus: ReturnType<Engine['buses']['acquire']> | undefined;
  try {
    bus = engine.buses.acquire(lineOf({ ...f.connection, model: model.id }));
    const r = await new ModbusDriver(bus, model, f.connection.unit, keys).read(signal);
    return r.readings
      .filter((x) => x.status === 1)
      .map((x) => {
        const c = engine.catalogue.byKey.get(x.key);
        return { key: x.key, name: c?.name ?? x.key, value: x.value, unit: c?.unit ?? '' };
      });
  } catch {
    return [];
  } finally {
    if (bus) await engine.buses.release(bus);
  }
}
