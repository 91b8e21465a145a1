import type { RtuConnection, TcpConnection } from '../../../src-preload/contract/domain.js';
import { ModbusBus } from '../../bus/modbus-bus.js';
import type { DeviceLibrary } from '../../devices/library.js';
import type { DeviceModel } from '../../devices/model-schema.js';
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
  const model = library.get(id);
  if (!model)
    throw new UsageError(`unknown model "${id}"; known: ${library.all.map((m) => m.id).join(', ')}`);
  return model;
}

export interface TargetSpec {
  model: DeviceModel;
  unit: number;
  connection: RtuConnection | TcpConnection;
  timeoutMs: number;
}

/** Reads --model/--port/--host/--unit/… into a connection, with the model's serial defaults. */
export function parseTarget(library: DeviceLibrary, values: Parsed['values']): TargetSpec {
  const model = requireModel(library, values.model);
  const unit = int(values.unit, 'unit', 1, 247);
  const timeoutMs = values.timeout === undefined ? 1000 : int(values.timeout, 'timeout', 10, 60_000);
  if (typeof values.host === 'string') {
    const port = values.port === undefined ? 502 : int(values.port, 'port', 1, 65535);
    const rtuOverTcp = values['rtu-over-tcp'] === true;
    const connection = {
      host: values.host,
      port,
      unit,
      model: model.id,
      ...(rtuOverTcp ? { rtuOverTcp } : {}),
    };
    return { model, unit, connection, timeoutMs };
  }
  const baud =
    values.baud === undefined ? (model.serialDefaults?.baud ?? 9600) : int(values.baud, 'baud', 300, 921_600);
  const parity = oneOf(
    values.parity,
    'parity',
    ['none', 'even', 'odd'] as const,
    model.serialDefaults?.parity ?? 'none',
  );
  const stopBits = values.stopbits === undefined ? 1 : (int(values.stopbits, 'stopbits', 1, 2) as 1 | 2);
  return {
    model,
    unit,
    connection: { port: str(values.port, 'port'), baud, parity, stopBits, unit, model: model.id },
    timeoutMs,
  };
}

/** Builds (and opens) the bus to one meter from --model/--port/--host/--unit; the caller closes it. */
export async function openTarget(library: DeviceLibrary, values: Parsed['values']): Promise<CliTarget> {
  const { model, unit, connection, timeoutMs } = parseTarget(library, values);
  const bus =
    'host' in connection
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
  try {
    await bus.open();
  } catch (e) {
    await bus.close();
    throw new OperationError((e as Error).message);
  }
  return { bus, model, unit, connection };
}
