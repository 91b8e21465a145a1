import type { SystemType } from '../../src-preload/contract/domain.js';
import { ModbusError } from '../bus/errors.js';
import type { ModbusBus } from '../bus/modbus-bus.js';
import type { DeviceLibrary } from '../devices/library.js';
import type { DeviceModel, IdMatch } from '../devices/model-schema.js';
import { systemOfValue, systemTypeRegister } from '../drivers/system-type.js';
import { decodeRegisters, registerCount } from '../protocol/modbus/codec.js';
import { loadSunSpecDefinitions } from '../protocol/sunspec/definitions.js';
import type { FoundDevice, FoundKind, IdRead } from './scan-types.js';
import { identifySunSpec } from './sunspec-identify.js';

/** One id register several models share (all Carlo Gavazzi meters keep their model code at 0x000B). */
export interface IdGroup {
  fc: 3 | 4;
  register: number;
  count: number;
  models: DeviceModel[];
}

/** The library's id registers, each read once, the ones most models use first. */
export function idGroups(library: DeviceLibrary): IdGroup[] {
  const groups = new Map<string, IdGroup>();
  for (const m of library.all) {
    const id = m.identification;
    // A model without a documented id register is not looked for by a scan.
    if (!id) continue;
    const count = registerCount(id.type, id.words);
    const key = `${id.fc}:${id.register}:${count}`;
    const g = groups.get(key) ?? { fc: id.fc, register: id.register, count, models: [] };
    g.models.push(m);
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => b.models.length - a.models.length || a.register - b.register);
}

/** Which variant of a model these id words name, if any. */
export function matchModel(model: DeviceModel, words: readonly number[]): IdMatch | undefined {
  const id = model.identification;
  if (!id) return undefined;
  const value = decodeRegisters(words, id.type, model.wordOrder);
  if (typeof value === 'string')
    return id.match.find((m) => m.text !== undefined && value.startsWith(m.text));
  return id.match.find(
    (m) => m.values?.includes(value) || (m.range !== undefined && value >= m.range[0] && value <= m.range[1]),
  );
}

/**
 * The model these id words name among models sharing one id register. Text ids match by prefix, so
 * the longest matching prefix wins: Siemens' I&M 0 block names the maker for every SENTRON PAC, the
 * order number after it names the PAC3200.
 */
export function bestMatch(
  models: readonly DeviceModel[],
  words: readonly number[],
): { model: DeviceModel; match: IdMatch } | undefined {
  let best: { model: DeviceModel; match: IdMatch } | undefined;
  for (const model of models) {
    const match = matchModel(model, words);
    if (match && (!best || (match.text?.length ?? 0) > (best.match.text?.length ?? 0)))
      best = { model, match };
  }
  return best;
}

export interface Identity {
  kind: FoundKind;
  model?: DeviceModel;
  match?: IdMatch;
  idRegisters: IdRead[];
  serialNumber?: string;
  firmware?: string;
  system?: SystemType;
  note?: string;
  /** Filled for a SunSpec device: what its Common model says, and its chain. */
  vendor?: string;
  name?: string;
  variant?: string;
  partNumber?: string;
  sunspec?: FoundDevice['sunspec'];
}

/** Reads one register block; a refusal or silence is data here, not a failure. */
export async function readId(
  bus: ModbusBus,
  unit: number,
  g: Pick<IdGroup, 'fc' | 'register' | 'count'>,
  o: { signal?: AbortSignal; timeoutMs?: number; replyStartMs?: number; retries?: number } = {},
): Promise<IdRead> {
  try {
    const words = await bus.readRegisters(unit, g.fc, g.register, g.count, {
      signal: o.signal,
      timeoutMs: o.timeoutMs,
      replyStartMs: o.replyStartMs,
      retries: o.retries ?? 1,
    });
    return { fc: g.fc, register: g.register, words };
  } catch (e) {
    if (
      !(e instanceof ModbusError) ||
      e.kind === 'cancelled' ||
      e.kind === 'closed' ||
      e.kind === 'disconnected'
    )
      throw e;
    return e.kind === 'exception'
      ? { fc: g.fc, register: g.register, words: null, exception: e.exceptionCode }
      : { fc: g.fc, register: g.register, words: null, error: e.kind };
  }
}

const INFO_SERIAL = ['serial_number'];
const INFO_FIRMWARE = ['firmware_version', 'revision_code'];

async function readInfo(
  bus: ModbusBus,
  unit: number,
  model: DeviceModel,
  names: readonly string[],
  signal?: AbortSignal,
): Promise<string | undefined> {
  const info = model.info?.find((i) => names.includes(i.name));
  if (!info) return undefined;
  const r = await readId(
    bus,
    unit,
    { fc: info.fc, register: info.register, count: registerCount(info.type, info.words) },
    { signal },
  );
  if (!r.words) return undefined;
  const v = decodeRegisters(r.words, info.type, info.wordOrder ?? model.wordOrder);
  return typeof v === 'string' ? v || undefined : String(v);
}

/** A known meter's serial number and firmware from its model's info registers (each undefined if not published or not answered). */
export async function readModelInfo(
  bus: ModbusBus,
  unit: number,
  model: DeviceModel,
  signal?: AbortSignal,
): Promise<{ serialNumber?: string; firmware?: string }> {
  return {
    serialNumber: await readInfo(bus, unit, model, INFO_SERIAL, signal),
    firmware: await readInfo(bus, unit, model, INFO_FIRMWARE, signal),
  };
}

/**
 * Identifies the unit behind `unit` from its id registers: each distinct id register of the library is
 * read until one names a model. `first` is the probe's answer, so the id register it read is not asked twice.
 */
export async function identify(
  bus: ModbusBus,
  unit: number,
  library: DeviceLibrary,
  first?: { group: IdGroup; read: IdRead },
  signal?: AbortSignal,
): Promise<Identity> {
  const reads: IdRead[] = [];
  for (const g of idGroups(library)) {
    const r =
      first && first.group.fc === g.fc && first.group.register === g.register && first.group.count === g.count
        ? first.read
        : await readId(bus, unit, g, { signal });
    reads.push(r);
    if (!r.words) continue;
    const named = bestMatch(g.models, r.words);
    if (named) {
      const { model, match } = named;
      const identity: Identity = { kind: 'meter', model, match, idRegisters: reads };
      identity.serialNumber = await readInfo(bus, unit, model, INFO_SERIAL, signal);
      identity.firmware = await readInfo(bus, unit, model, INFO_FIRMWARE, signal);
      const sys = systemTypeRegister(model);
      if (sys) {
        const s = await readId(
          bus,
          unit,
          { fc: sys.fc, register: sys.register, count: registerCount(sys.type) },
          { signal },
        );
        if (s.words) {
          const raw = decodeRegisters(s.words, sys.type, sys.wordOrder ?? match.wordOrder ?? model.wordOrder);
          if (typeof raw === 'number') identity.system = systemOfValue(model, raw);
        }
      }
      return identity;
    }
  }
  // Not in the library: a SunSpec device names itself (its marker is checked only now, so library
  // meters cost no extra requests).
  const ss = await identifySunSpec(bus, unit, loadSunSpecDefinitions(), signal);
  if (ss) {
    const { model: _sunspec, ...rest } = ss;
    return { idRegisters: reads, ...rest };
  }
  return { idRegisters: reads, ...judgeUnknown(reads) };
}

/** A unit that matched no model: a gateway's zeros are not a meter; anything else is an unknown device. */
export function judgeUnknown(reads: readonly IdRead[]): { kind: FoundKind; note: string } {
  const answered = reads.filter((r) => r.words);
  if (answered.length && answered.every((r) => r.words!.every((w) => w === 0)))
    return {
      kind: 'not-a-meter',
      note: 'answers with zeros only: a gateway or converter without a meter at this id, not a meter',
    };
  if (!answered.length) {
    const codes = [...new Set(reads.map((r) => r.exception).filter((c) => c !== undefined))];
    return {
      kind: 'unknown',
      note: `answers, but refuses every id register of the device library${codes.length ? ` (exception ${codes.join(', ')})` : ''}`,
    };
  }
  return { kind: 'unknown', note: 'its id registers match no model of the device library' };
}

/** Identifies an answering unit and turns it into a scan result. */
export async function describeUnit(
  bus: ModbusBus,
  unit: number,
  library: DeviceLibrary,
  first: { group: IdGroup; read: IdRead },
  connection: FoundDevice['connection'],
  signal?: AbortSignal,
): Promise<FoundDevice> {
  const id = await identify(bus, unit, library, first, signal);
  const protocol = 'host' in connection ? 'tcp' : 'rtu';
  return {
    protocol,
    connection,
    kind: id.kind,
    ...(id.model ? { model: id.model.id, vendor: id.model.vendor, name: id.model.name } : {}),
    ...(id.match ? { variant: id.match.variant, partNumber: id.match.partNumber } : {}),
    ...(id.sunspec && id.kind === 'meter' ? { model: 'sunspec' } : {}),
    ...(id.vendor ? { vendor: id.vendor } : {}),
    ...(id.name ? { name: id.name } : {}),
    ...(id.variant ? { variant: id.variant } : {}),
    ...(id.partNumber ? { partNumber: id.partNumber } : {}),
    ...(id.sunspec ? { sunspec: id.sunspec } : {}),
    ...(id.system ? { system: id.system } : {}),
    ...(id.serialNumber ? { serialNumber: id.serialNumber } : {}),
    ...(id.firmware ? { firmware: id.firmware } : {}),
    idRegisters: id.idRegisters,
    latencyMs: Math.round((bus.latencyOf(unit) ?? 0) * 10) / 10,
    ...(id.note ? { note: id.note } : {}),
  };
}
