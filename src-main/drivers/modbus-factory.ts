import type { RtuConnection, TcpConnection } from '../../src-preload/contract/domain.js';
import type { BusRegistry } from '../bus/bus-registry.js';
import type { DeviceLibrary } from '../devices/library.js';
import type { ReaderFactory } from '../poller/reader-factory.js';
import { ModbusReader } from './modbus-reader.js';

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
    const model = library.require(c.model);
    return new ModbusReader(
      bus,
      model,
      c.unit,
      signals.map((s) => s.key),
      () => buses.release(bus),
    );
  };
}

export function tcpReaderFactory(buses: BusRegistry, library: DeviceLibrary): ReaderFactory {
  return (device, signals) => {
    const c = device.connection as TcpConnection;
    const bus = buses.acquire({ kind: 'tcp', host: c.host, port: c.port, rtuOverTcp: c.rtuOverTcp });
    const model = library.require(c.model);
    return new ModbusReader(
      bus,
      model,
      c.unit,
      signals.map((s) => s.key),
      () => buses.release(bus),
    );
  };
}
