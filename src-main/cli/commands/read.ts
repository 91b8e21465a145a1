import { loadLibrary } from '../../devices/library.js';
import { ModbusDriver } from '../../drivers/modbus-driver.js';
import { OperationError, parse, type Io } from '../args.js';
import { openTarget, TARGET_OPTIONS } from './modbus-target.js';

const USAGE =
  'ems-commissioner read --model MODEL (--port PATH --baud B --parity P | --host H --port N) --unit U [--json]';

export async function read(argv: string[], io: Io): Promise<number> {
  const { values } = parse(argv, TARGET_OPTIONS, USAGE);
  const { bus, model, unit } = await openTarget(loadLibrary(), values);
  try {
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
