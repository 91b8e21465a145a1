import type { RtuConnection, TcpConnection } from '../../src-preload/contract/domain.js';
import type { BusRegistry } from '../bus/bus-registry.js';
import type { ModbusBus } from '../bus/modbus-bus.js';
import { loadCatalogue } from '../devices/catalogue.js';
import type { DeviceLibrary } from '../devices/library.js';
import type { DeviceReader } from '../poller/device-reader.js';
import type { ReaderFactory } from '../poller/reader-factory.js';
import { loadSunSpecDefinitions } from '../protocol/sunspec/definitions.js';
import { ModbusReader } from './modbus-reader.js';
import { SunSpecReader } from './sunspec-reader.js';
import { isSunSpecId } from './sunspec-model.js';

/** A library model's generic driver, or the SunSpec driver for `sunspec` / `sunspec:MODEL` devices. */
function readerFor(
  bus: ModbusBus,
  library: DeviceLibrary,
  c: RtuConnection | TcpConnection,
  keys: readonly string[],
  release: () => Promise<void>,
): DeviceReader {
  if (isSunSpecId(c.model))
    return new SunSpecReader(bus, c.unit, c.model, keys, loadSunSpecDefinitions(), loadCatalogue(), release);
  return new ModbusReader(bus, library.require(c.model), c.unit, keys, release);
}

export function rtuReaderFactory(buses: BusRegistry, library: DeviceLibrary): ReaderFactory {
  return (device, signals) => {
    const c = device.connection as RtuConnection;
    const bus = buses.acquire({
      kind: 'serial',
      path: c.port,
      baud: c.baud,
      parity: c.parity,
      stopBits: c.stopBits,
    });
    return readerFor(
      bus,
      library,
      c,
      signals.map((s) => s.key),
      () => buses.release(bus),
    );
  };
}

export function tcpReaderFactory(buses: BusRegistry, library: DeviceLibrary): ReaderFactory {
  return (device, signals) => {
    const c = device.connection as TcpConnection;
    const bus = buses.acquire({ kind: 'tcp', host: c.host, port: c.port, rtuOverTcp: c.rtuOverTcp });
    return readerFor(
      bus,
      library,
      c,
      signals.map((s) => s.key),
      () => buses.release(bus),
    );
  };
}
