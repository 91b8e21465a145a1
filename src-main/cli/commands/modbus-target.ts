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

/** Builds (and opens) the bus to one meter from --model/--port/--host/--unit; the caller closes it. */
export async function openTarget(library: DeviceLibrary, values: Parsed['values']): Promise<CliTarget> {
  const model = requireModel(library, values.model);
  const unit = int(values.unit, 'unit', 1, 247);
  const timeoutMs = values.timeout === undefined ? 1000 : int(values.timeout, 'timeout', 10, 60_000);
  let connection: RtuConnection | TcpConnection;
  let bus: ModbusBus;
  if (typeof values.host === 'string') {
    const port = values.port === undefined ? 502 : int(values.port, 'port', 1, 65535);
    const rtuOverTcp = values['rtu-over-tcp'] === true;
    connection = { host: values.host, port, unit, model: model.id, ...(rtuOverTcp ? { rtuOverTcp } : {}) };
    bus = new ModbusBus(new TcpTransport({ host: values.host, port }), {
      framing: rtuOverTcp ? 'rtu-over-tcp' : 'tcp',
      timeoutMs,
      reconnect: false,
    });
  } else {
    const path = str(values.port, 'port');
    const baud =
      values.baud === undefined
        ? (model.serialDefaults?.baud ?? 9600)
        : int(values.baud, 'baud', 300, 921_600);
    const parity = oneOf(
      values.parity,
      'parity',
      ['none', 'even', 'odd'] as const,
      model.serialDefaults?.parity ?? 'none',
    );
    const stopBits = values.stopbits === undefined ? 1 : (int(values.stopbits, 'stopbits', 1, 2) as 1 | 2);
    connection = { port: path, baud, parity, stopBits, unit, model: model.id };
    bus = new ModbusBus(new SerialTransport({ path, baudRate: baud, parity, dataBits: 8, stopBits }), {
      framing: 'rtu',
      timeoutMs,
      reconnect: false,
    });
  }
  try {
    await bus.open();
  } catch (e) {
    throw new OperationError((e as Error).message);
  }
  return { bus, model, unit, connection };
}
