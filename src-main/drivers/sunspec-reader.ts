import type { ModbusBus } from '../bus/modbus-bus.js';
import type { SignalCatalogue } from '../devices/catalogue.js';
import type { SunSpecDefinitions } from '../protocol/sunspec/definitions.js';
import type { DeviceReader, DeviceReading } from '../poller/device-reader.js';
import { ModbusDriver } from './modbus-driver.js';
import { openSunSpec } from './sunspec-device.js';

/**
 * The generic SunSpec driver for the poller: on its first read (and again after the device stopped
 * answering) it walks the device's model chain and builds the register map, then reads it with the
 * generic Modbus driver. The map follows the device, so a firmware update that moves models is read right.
 */
export class SunSpecReader implements DeviceReader {
  private driver: ModbusDriver | undefined;

  constructor(
    private readonly bus: ModbusBus,
    private readonly unit: number,
    private readonly id: string,
    private readonly keys: readonly string[],
    private readonly defs: SunSpecDefinitions,
    private readonly catalogue: SignalCatalogue,
    private readonly onClose?: () => Promise<void>,
  ) {}

  async read(signal?: AbortSignal): Promise<DeviceReading> {
    if (!this.driver) {
      try {
        const d = await openSunSpec(this.bus, this.unit, this.id, this.defs, this.catalogue, { signal });
        this.driver = new ModbusDriver(this.bus, d.model, this.unit, this.keys);
      } catch (e) {
        return { values: new Map(), answered: false, error: (e as Error).message };
      }
    }
    const r = await this.driver.read(signal);
    const values: DeviceReading['values'] = new Map();
    for (const x of r.readings) values.set(x.key, { value: x.value, status: x.status });
    const answered = r.readings.some((x) => x.status !== 0);
    if (!answered) this.driver = undefined;
    return { values, answered, error: r.errors[0]?.message };
  }

  async close(): Promise<void> {
    await this.onClose?.();
  }
}
