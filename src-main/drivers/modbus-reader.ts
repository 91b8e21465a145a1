import type { ModbusBus } from '../bus/modbus-bus.js';
import type { DeviceModel } from '../devices/model-schema.js';
import type { DeviceReader, DeviceReading } from '../poller/device-reader.js';
import { ModbusDriver } from './modbus-driver.js';

/** Adapts the generic Modbus driver to the poller's DeviceReader. */
export class ModbusReader implements DeviceReader {
  readonly driver: ModbusDriver;

  constructor(
    bus: ModbusBus,
    model: DeviceModel,
    unit: number,
    keys: readonly string[],
    private readonly onClose?: () => Promise<void>,
  ) {
    this.driver = new ModbusDriver(bus, model, unit, keys);
  }

  async read(signal?: AbortSignal): Promise<DeviceReading> {
    const r = await this.driver.read(signal);
    const values: DeviceReading['values'] = new Map();
    for (const x of r.readings) values.set(x.key, { value: x.value, status: x.status });
    const answered = r.readings.some((x) => x.status !== 0);
    return { values, answered, error: r.errors[0]?.message };
  }

  async close(): Promise<void> {
    await this.onClose?.();
  }
}
