import type { LineSpec } from '../bus/bus-registry.js';
import type { ModbusBus } from '../bus/modbus-bus.js';
import { readConfig } from '../commissioning/config-read.js';
import type { DeviceLibrary } from '../devices/library.js';
import type { DeviceModel } from '../devices/model-schema.js';
import { identify, readId } from '../discovery/identify.js';
import type { FoundDevice } from '../discovery/scan-types.js';
import { registerCount } from '../protocol/modbus/codec.js';
import type { WireDevice } from './plan-match.js';

/** Runs `fn` with the bus of a line; the caller owns acquiring and releasing (and the statistics). */
export type WithBus = <T>(line: LineSpec, fn: (bus: ModbusBus) => Promise<T>) => Promise<T>;

export function lineOfFound(c: FoundDevice['connection']): LineSpec {
  return 'host' in c
    ? { kind: 'tcp', host: c.host, port: c.port, rtuOverTcp: c.rtuOverTcp }
    : { kind: 'serial', path: c.port, baud: c.baud, parity: c.parity, stopBits: c.stopBits };
}

async function settingsOf(
  bus: ModbusBus,
  model: DeviceModel,
  unit: number,
): Promise<Record<string, number | null>> {
  const out: Record<string, number | null> = {};
  for (const r of await readConfig({ bus, model, unit })) out[r.key] = r.value;
  return out;
}

/**
 * Asks one address what is there: a quick look at the expected model's id register first (so an empty
 * address costs one timeout, not one per id register of the library), then full identification and
 * every setting the model knows. Null when nothing answers.
 */
export async function probeUnit(
  bus: ModbusBus,
  key: string,
  unit: number,
  library: DeviceLibrary,
  expected?: DeviceModel,
): Promise<WireDevice | null> {
  // A model without an id register gets no quick look: the library's id registers are asked instead.
  const id = expected?.identification;
  if (id) {
    const first = await readId(bus, unit, {
      fc: id.fc,
      register: id.register,
      count: registerCount(id.type, id.words),
    });
    if (!first.words && first.exception === undefined) return null;
  }
  const identity = await identify(bus, unit, library);
  const answered = identity.idRegisters.some((r) => r.words || r.exception !== undefined);
  if (!answered) return null;
  const model = identity.model;
  return {
    bus: key,
    unit,
    kind: identity.kind,
    ...(model ? { model: model.id, modelName: `${model.vendor} ${model.name}` } : {}),
    ...(identity.match?.partNumber ? { partNumber: identity.match.partNumber } : {}),
    ...(identity.serialNumber ? { serialNumber: identity.serialNumber } : {}),
    ...(identity.firmware ? { firmware: identity.firmware } : {}),
    ...(identity.system ? { system: identity.system } : {}),
    settings: model ? await settingsOf(bus, model, unit) : {},
    source: 'probe',
  };
}

/** A scan's meter with the settings read from it now (a scan identifies; it does not read settings). */
export async function wireFromFound(
  f: FoundDevice,
  key: string,
  bus: ModbusBus,
  library: DeviceLibrary,
): Promise<WireDevice> {
  const model = f.model ? library.get(f.model) : undefined;
  return {
    bus: key,
    unit: f.connection.unit,
    kind: f.kind,
    ...(model ? { model: model.id, modelName: `${model.vendor} ${model.name}` } : {}),
    ...(f.partNumber ? { partNumber: f.partNumber } : {}),
    ...(f.serialNumber ? { serialNumber: f.serialNumber } : {}),
    ...(f.firmware ? { firmware: f.firmware } : {}),
    ...(f.system ? { system: f.system } : {}),
    settings: model && f.kind === 'meter' ? await settingsOf(bus, model, f.connection.unit) : {},
    source: 'scan',
  };
}
