import { ModbusError } from '../bus/errors.js';
import type { ModbusBus } from '../bus/modbus-bus.js';
import type { SignalCatalogue } from '../devices/catalogue.js';
import type { DeviceModel } from '../devices/model-schema.js';
import { BASE_ADDRESSES, isMarker, walkChain, type SunSpecChain } from '../protocol/sunspec/chain.js';
import { decodeCommon, type CommonInfo } from '../protocol/sunspec/common.js';
import type { SunSpecDefinitions } from '../protocol/sunspec/definitions.js';
import { COMMON_MODEL } from '../protocol/sunspec/signal-map.js';
import { sunspecDeviceModel } from './sunspec-model.js';

export interface ReadOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  retries?: number;
}

/** Reads registers; an exception, a timeout or garbage is "nothing here" (null), a closed bus is an error. */
async function tryRead(
  bus: ModbusBus,
  unit: number,
  address: number,
  count: number,
  o: ReadOptions,
): Promise<number[] | null> {
  try {
    return await bus.readRegisters(unit, 3, address, count, {
      signal: o.signal,
      timeoutMs: o.timeoutMs,
      retries: o.retries ?? 1,
    });
  } catch (e) {
    if (
      !(e instanceof ModbusError) ||
      e.kind === 'cancelled' ||
      e.kind === 'closed' ||
      e.kind === 'disconnected'
    )
      throw e;
    return null;
  }
}

/** Registers of a span longer than one request allows, in requests of at most 125. */
export async function readSpan(
  bus: ModbusBus,
  unit: number,
  address: number,
  count: number,
  o: ReadOptions = {},
): Promise<number[] | null> {
  const out: number[] = [];
  for (let at = address; at < address + count; at += 125) {
    const n = Math.min(125, address + count - at);
    const part = await tryRead(bus, unit, at, n, o);
    if (!part) return null;
    out.push(...part);
  }
  return out;
}

/** Looks for the "SunS" marker at 40000, 0 and 50000 (in that order) and walks the chain behind it. */
export async function findSunSpec(
  bus: ModbusBus,
  unit: number,
  o: ReadOptions = {},
): Promise<SunSpecChain | undefined> {
  for (const base of BASE_ADDRESSES) {
    const marker = await tryRead(bus, unit, base, 2, o);
    if (!isMarker(marker)) continue;
    return walkChain(base, (address, count) => tryRead(bus, unit, address, count, o));
  }
  return undefined;
}

/** The Common model's facts (manufacturer, model, options, version, serial number). */
export async function readCommon(
  bus: ModbusBus,
  unit: number,
  chain: SunSpecChain,
  defs: SunSpecDefinitions,
  o: ReadOptions = {},
): Promise<CommonInfo> {
  const entry = chain.models.find((m) => m.id === COMMON_MODEL);
  if (!entry) return {};
  const words = await readSpan(bus, unit, entry.address, entry.length + 2, o);
  return words ? decodeCommon(defs, entry, words) : {};
}

export interface SunSpecDevice {
  chain: SunSpecChain;
  common: CommonInfo;
  model: DeviceModel;
}

/** Finds the chain, reads the Common model and builds the register map for `id` (sunspec, sunspec:203 …). */
export async function openSunSpec(
  bus: ModbusBus,
  unit: number,
  id: string,
  defs: SunSpecDefinitions,
  catalogue: SignalCatalogue,
  o: ReadOptions = {},
): Promise<SunSpecDevice> {
  const chain = await findSunSpec(bus, unit, o);
  if (!chain)
    throw new Error(`unit ${unit} on ${bus.endpoint} has no SunSpec marker at register 40000, 0 or 50000`);
  const common = await readCommon(bus, unit, chain, defs, o);
  return { chain, common, model: sunspecDeviceModel(defs, chain, id, catalogue, common) };
}
