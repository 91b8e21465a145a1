import type { RtuConnection, TcpConnection } from '../../../src-preload/contract/domain.js';
import { ModbusBus } from '../../bus/modbus-bus.js';
import type { DeviceLibrary } from '../../devices/library.js';
import type { DeviceModel } from '../../devices/model-schema.js';
import { loadCatalogue } from '../../devices/catalogue.js';
import { openSunSpec } from '../../drivers/sunspec-device.js';
import { isSunSpecId, sunspecPlaceholder } from '../../drivers/sunspec-model.js';
import { loadSunSpecDefinitions } from '../../protocol/sunspec/definitions.js';
import { SerialTransport } from '../../transport/serial.js';
import { TcpTransport } from '../../transport/tcp.js';
import { int, oneOf, OperationError, str, UsageError, type Parsed } from '../args.js';

/** The options every command that talks to one meter shares. */
export const TARGET_OPTIONS = {
  model: { type: 'string' },
  port: { type: 'string' },
  baud: { type: 'string' },
  parity: { type: 'string' },
  stopbits: { type: 'string' },
  host: { type: 'string' },
  unit: { type: 'string' },
  'rtu-over-tcp': { type: 'boolean' },
  timeout: { type: 'string' },
} as const;

export const TARGET_USAGE =
  '--model MODEL (--port PATH [--baud B] [--parity P] [--stopbits S] | --host H [--port N] [--rtu-over-tcp]) --unit U [--timeout MS]';

export interface CliTarget {
  bus: ModbusBus;
  model: DeviceModel;
  unit: number;
  connection: RtuConnection | TcpConnection;
}

export function requireModel(library: DeviceLibrary, value: Parsed['values'][string]): DeviceModel {
  const id = str(value, 'model');
  if (isSunSpecId(id)) {
    try {
      return sunspecPlaceholder(id);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  const model = library.get(id);
  if (!model)
    throw new UsageError(
      `unknown model "${id}"; known: ${library.all.map((m) => m.id).join(', ')}, sunspec[:MODEL[:N]]`,
    );
  return model;
}

export interface TargetSpec {
  model: DeviceModel;
  unit: number;
  connection: RtuConnection | TcpConnection;
  timeoutMs: number;
}

export interface ConnectionSpec {
  unit: number;
  connection: Omit<RtuConnection, 'model'> | Omit<TcpConnection, 'model'>;
  timeoutMs: number;
}

/** Reads --port/--host/--unit/--baud/… into a connection (serial defaults from a model when given). */
export function parseConnection(
  values: Parsed['values'],
  serialDefaults?: DeviceModel['serialDefaults'],
  maxUnit = 247,
): ConnectionSpec {
  const unit = int(values.unit, 'unit', 1, maxUnit);
  const timeoutMs = values.timeout === undefined ? 1000 : int(values.timeout, 'timeout', 10, 60_000);
  if (typeof values.host === 'string') {
    const port = values.port === undefined ? 502 : int(values.port, 'port', 1, 65535);
    const rtuOverTcp = values['rtu-over-tcp'] === true;
    return {
      unit,
      connection: { host: values.host, port, unit, ...(rtuOverTcp ? { rtuOverTcp } : {}) },
      timeoutMs,
    };
  }
  const baud =
    values.baud === undefined ? (serialDefaults?.baud ?? 9600) : int(values.baud, 'baud', 300, 921_600);
  const parity = oneOf(
    values.parity,
    'parity',
    ['none', 'even', 'odd'] as const,
    serialDefaults?.parity ?? 'none',
  );
  const stopBits = values.stopbits === undefined ? 1 : (int(values.stopbits, 'stopbits', 1, 2) as 1 | 2);
  return { unit, connection: { port: str(values.port, 'port'), baud, parity, stopBits, unit }, timeoutMs };
}

/** Reads --model/--port/--host/--unit/… into a connection, with the model's serial defaults. */
export function parseTarget(library: DeviceLibrary, values: Parsed['values']): TargetSpec {
  const model = requireModel(library, values.model);
  const { unit, connection, timeoutMs } = parseConnection(values, model.serialDefaults);
  return { model, unit, connection: { ...connection, model: model.id }, timeoutMs };
}

/** A bus (not opened yet) to a serial port or a TCP host for one connection. */
export function newBus(
  connection: Omit<RtuConnection, 'model'> | Omit<TcpConnection, 'model'>,
  timeoutMs: number,
): ModbusBus {
  return 'host' in connection
    ? new ModbusBus(new TcpTransport({ host: connection.host, port: connection.port }), {
        framing: connection.rtuOverTcp ? 'rtu-over-tcp' : 'tcp',
        timeoutMs,
        reconnect: false,
      })
    : new ModbusBus(
        new SerialTransport({
          path: connection.port,
          baudRate: connection.baud,
          parity: connection.parity,
          dataBits: 8,
          stopBits: connection.stopBits,
        }),
        { framing: 'rtu', timeoutMs, reconnect: false },
      );
}

/** Opens a bus to a serial port or a TCP host for one connection; the caller closes it. */
export async function openBus(
  connection: Omit<RtuConnection, 'model'> | Omit<TcpConnection, 'model'>,
  timeoutMs: number,
): Promise<ModbusBus> {
  const bus = newBus(connection, timeoutMs);
  try {
    await bus.open();
  } catch (e) {
    await bus.close();
    throw new OperationError((e as Error).message);
  }
  return bus;
}

/** Builds (and opens) the bus to one meter from --model/--port/--host/--unit/…; the caller closes it. */
export async function openTarget(library: DeviceLibrary, values: Parsed['values']): Promise<CliTarget> {
  const { model, unit, connection, timeoutMs } = parseTarget(library, values);
  const bus = await openBus(connection, timeoutMs);
  if (isSunSpecId(model.id)) {
    // A SunSpec device's register map is its model chain: read it before anything else.
    try {
      const d = await openSunSpec(bus, unit, model.id, loadSunSpecDefinitions(), loadCatalogue());
      return { bus, model: d.model, unit, connection };
    } catch (e) {
      await bus.close();
      throw new OperationError((e as Error).message);
    }
  }
  return { bus, model, unit, connection };
}
