import type { LoadType, RtuConnection, TcpConnection } from '../../src-preload/contract/domain.js';
import type { SignalCatalogue } from '../devices/catalogue.js';
import { deviceFromModel } from '../devices/instantiate.js';
import type { DeviceLibrary } from '../devices/library.js';
import { FoundDevice, ScanFile } from '../discovery/scan-types.js';
import type { NewDevice } from '../store/config-repo.js';
import { checkSchema } from '../util/schema-check.js';
import type { DeviceModel } from '../devices/model-schema.js';
import { isSunSpecId, sunspecDeviceModel } from '../drivers/sunspec-model.js';
import { loadSunSpecDefinitions } from '../protocol/sunspec/definitions.js';

export class AddFromScanError extends Error {
  constructor(
    readonly unit: number,
    reason: string,
  ) {
    super(`cannot add unit ${unit} from the scan: ${reason}`);
    this.name = 'AddFromScanError';
  }
}

export interface AddOptions {
  label?: string;
  /** 0 consumption (default), 1 production, 2 bidirectional. */
  loadType?: LoadType;
  pollMs?: number;
}

/**
 * The configuration entry (device → load → signals from the model) for a meter a scan identified,
 * with the connection it was found at and the wiring system the meter itself reported.
 */
export function newDeviceFromScan(
  input: unknown,
  library: DeviceLibrary,
  catalogue: SignalCatalogue,
  o: AddOptions = {},
): NewDevice {
  const found = checkSchema(FoundDevice, input, 'scan result');
  const unit = found.connection.unit;
  if (found.kind !== 'meter' || !found.model)
    throw new AddFromScanError(
      unit,
      `it is ${found.kind === 'unknown' ? 'an unknown device' : 'not a meter'}${found.note ? ` (${found.note})` : ''}; add it by hand with a --model if you know what it is`,
    );
  const model = isSunSpecId(found.model) ? sunspecModelOf(found, catalogue) : library.get(found.model);
  if (!model) throw new AddFromScanError(unit, `model "${found.model}" is not in this device library`);
  const c = found.connection;
  const connection: RtuConnection | TcpConnection =
    'host' in c
      ? {
          host: c.host,
          port: c.port,
          unit: c.unit,
          model: model.id,
          ...(c.rtuOverTcp ? { rtuOverTcp: true } : {}),
        }
      : { port: c.port, baud: c.baud, parity: c.parity, stopBits: c.stopBits, unit: c.unit, model: model.id };
  const d = deviceFromModel(model, connection, catalogue, {
    label: o.label,
    partNumber: found.partNumber,
    system: found.system,
    pollMs: o.pollMs,
  });
  return { ...d, loads: d.loads.map((l) => ({ ...l, type: o.loadType ?? l.type ?? 0 })) };
}

/** A SunSpec device's register map from the chain the scan recorded (no second walk needed). */
function sunspecModelOf(found: FoundDevice, catalogue: SignalCatalogue): DeviceModel {
  const unit = found.connection.unit;
  if (!found.sunspec) throw new AddFromScanError(unit, 'the scan result lacks the SunSpec chain it found');
  try {
    return sunspecDeviceModel(
      loadSunSpecDefinitions(),
      {
        base: found.sunspec.base,
        models: found.sunspec.models.map(({ id, address, length }) => ({ id, address, length })),
      },
      found.model ?? 'sunspec',
      catalogue,
      { manufacturer: found.vendor, model: found.name },
    );
  } catch (e) {
    throw new AddFromScanError(unit, (e as Error).message);
  }
}

/** The devices of a `scan --json` file (the whole report, or just its list). */
export function readScanFile(text: string, what = 'scan file'): FoundDevice[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`${what} is not JSON: ${(e as Error).message}`);
  }
  const doc = checkSchema(ScanFile, data, what);
  return Array.isArray(doc) ? doc : doc.found;
}
