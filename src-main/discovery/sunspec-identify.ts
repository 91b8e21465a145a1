import { ModbusError } from '../bus/errors.js';
import type { ModbusBus } from '../bus/modbus-bus.js';
import type { CommonInfo } from '../protocol/sunspec/common.js';
import { entriesFor, SUNSPEC_ID } from '../drivers/sunspec-model.js';
import { findSunSpec, readCommon } from '../drivers/sunspec-device.js';
import { ChainError } from '../protocol/sunspec/chain.js';
import type { SunSpecDefinitions } from '../protocol/sunspec/definitions.js';
import { COMMON_MODEL, familyOf } from '../protocol/sunspec/signal-map.js';
import type { FoundDevice } from './scan-types.js';

export type SunSpecIdentity = Pick<
  FoundDevice,
  | 'kind'
  | 'model'
  | 'vendor'
  | 'name'
  | 'variant'
  | 'partNumber'
  | 'serialNumber'
  | 'firmware'
  | 'note'
  | 'sunspec'
>;

/**
 * Recognises a SunSpec device (marker at 40000, 0 or 50000), walks its model chain and names it from
 * the Common model. Undefined when there is no marker; a chain that is broken is reported, not thrown.
 */
export async function identifySunSpec(
  bus: ModbusBus,
  unit: number,
  defs: SunSpecDefinitions,
  signal?: AbortSignal,
): Promise<SunSpecIdentity | undefined> {
  let chain;
  try {
    chain = await findSunSpec(bus, unit, { signal });
  } catch (e) {
    if (e instanceof ChainError) return { kind: 'unknown', note: `a SunSpec marker, but ${e.message}` };
    if (
      e instanceof ModbusError &&
      e.kind !== 'cancelled' &&
      e.kind !== 'closed' &&
      e.kind !== 'disconnected'
    )
      return {
        kind: 'unknown',
        note: `a SunSpec marker, but the model chain could not be read: ${e.message}`,
      };
    throw e;
  }
  if (!chain) return undefined;
  let common: CommonInfo = {};
  try {
    common = await readCommon(bus, unit, chain, defs, { signal });
  } catch (e) {
    // The chain is known; a lost Common model only costs the name.
    if (!(e instanceof ModbusError) || e.kind === 'cancelled' || e.kind === 'closed') throw e;
  }
  const models = chain.models.map((m) => ({
    id: m.id,
    address: m.address,
    length: m.length,
    ...(defs.get(m.id) ? { name: defs.get(m.id)!.name } : {}),
  }));
  const listed = models.map((m) => `${m.id}${m.name ? ` ${m.name}` : ' (unknown, skipped)'}`).join(', ');
  let main: number[] = [];
  try {
    main = entriesFor(chain, { instance: 1 }).map((e) => e.id);
  } catch {
    // Nothing the driver reads: the device is still named, and listed as unknown.
  }
  const others = chain.models
    .filter((m) => familyOf(m.id) === 'meter' || familyOf(m.id) === 'inverter')
    .filter((m) => m.id !== main[0]);
  const hint = others.length
    ? `; also in the chain: ${others.map((m) => `model ${m.id} (add with --model sunspec:${m.id})`).join(', ')}`
    : '';
  const present = chain.models.some((m) => m.id === COMMON_MODEL);
  return {
    kind: main.length ? 'meter' : 'unknown',
    ...(main.length ? { model: SUNSPEC_ID } : {}),
    ...(common.manufacturer ? { vendor: common.manufacturer } : {}),
    ...(common.model ? { name: common.model, partNumber: common.model } : {}),
    ...(common.options ? { variant: common.options } : {}),
    ...(common.serialNumber ? { serialNumber: common.serialNumber } : {}),
    ...(common.version ? { firmware: common.version } : {}),
    note: `SunSpec device at ${chain.base}${present ? '' : ' without a Common model'}: models ${listed}${hint}`,
    sunspec: { base: chain.base, models },
  };
}
