import { ModbusBus } from '../../bus/modbus-bus.js';
import { loadLibrary } from '../../devices/library.js';
import { ModbusDriver } from '../../drivers/modbus-driver.js';
import { SerialTransport } from '../../transport/serial.js';
import { TcpTransport } from '../../transport/tcp.js';
import { int, oneOf, OperationError, parse, str, UsageError, type Io } from '../args.js';

const USAGE =
  'ems-commissioner read --model MODEL (--port PATH --baud B --parity P | --host H --port N) --unit U [--json]';

export async function read(argv: string[], io: Io): Promise<number> {
  const { values } = parse(
    argv,
    {
      model: { type: 'string' },
      port: { type: 'string' },
      baud: { type: 'string' },
      parity: { type: 'string' },
      stopbits: { type: 'string' },
      host: { type: 'string' },
      unit: { type: 'string' },
      'rtu-over-tcp': { type: 'boolean' },
      timeout: { type: 'string' },
    },
    USAGE,
  );
  const library = loadLibrary();
  const modelId = str(values.model, 'model');
  const model = library.get(modelId);
  if (!model)
    throw new UsageError(`unknown model "${modelId}"; known: ${library.all.map((m) => m.id).join(', ')}`);
  const unit = int(values.unit, 'unit', 0, 255);
  const timeoutMs = values.timeout === undefined ? 1000 : int(values.timeout, 'timeout', 10, 60_000);
  let bus: ModbusBus;
  if (typeof values.host === 'string') {
    const port = values.port === undefined ? 502 : int(values.port, 'port', 1, 65535);
    bus = new ModbusBus(new TcpTransport({ host: values.host, port }), {
      framing: values['rtu-over-tcp'] ? 'rtu-over-tcp' : 'tcp',
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
    bus = new ModbusBus(new SerialTransport({ path, baudRate: baud, parity, dataBits: 8, stopBits }), {
      framing: 'rtu',
      timeoutMs,
      reconnect: false,
    });
  }
  try {
    try {
      await bus.open();
    } catch (e) {
      throw new OperationError((e as Error).message);
    }
    const driver = new ModbusDriver(bus, model, unit);
    const started = performance.now();
    const r = await driver.read();
    const ms = Math.round(performance.now() - started);
    if (!r.readings.some((x) => x.status !== 0))
      throw new OperationError(
        `no answer from unit ${unit} on ${bus.endpoint}: ${r.errors[0]?.message ?? 'timeout'}`,
      );
    if (values.json) {
      io.out(
        JSON.stringify(
          {
            model: model.id,
            unit,
            endpoint: bus.endpoint,
            requests: r.requests,
            ms,
            unsupported: r.unsupported,
            readings: r.readings,
            errors: r.errors.map((e) => e.message),
          },
          null,
          2,
        ),
      );
      return 0;
    }
    io.out(
      `${model.vendor} ${model.name}, unit ${unit} on ${bus.endpoint}: ${r.requests} request(s), ${ms} ms`,
    );
    const units = new Map(model.signals.map((s) => [s.key, s.unit]));
    for (const x of r.readings) {
      const v =
        x.status === 1
          ? `${x.value} ${units.get(x.key) ?? ''}`.trim()
          : x.status === 2
            ? 'out of range'
            : 'not read';
      io.out(`  ${x.key.padEnd(28)} ${v}`);
    }
    if (r.unsupported.length) io.out(`  not supported by this meter: ${r.unsupported.join(', ')}`);
    for (const e of r.errors) io.err(e.message);
    return 0;
  } finally {
    await bus.close();
  }
}
