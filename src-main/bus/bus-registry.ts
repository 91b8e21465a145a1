import { EventEmitter } from 'node:events';
import type { Parity } from '../transport/transport.js';
import { SerialTransport } from '../transport/serial.js';
import { TcpTransport } from '../transport/tcp.js';
import { ModbusBus, type BusOptions, type BusTimings, type Framing } from './modbus-bus.js';

export type LineSpec =
  | { kind: 'serial'; path: string; baud: number; parity: Parity; stopBits: 1 | 2 }
  | { kind: 'tcp'; host: string; port: number; rtuOverTcp?: boolean };

export function lineKey(spec: LineSpec): string {
  return spec.kind === 'serial' ? `serial:${spec.path}` : `tcp:${spec.host}:${spec.port}`;
}

/**
 * One ModbusBus per physical line, shared by every device on it. A serial port has one setting at a time,
 * and a host:port speaks either Modbus TCP or RTU-over-TCP, never both.
 */
export class BusRegistry extends EventEmitter<{ added: [string, ModbusBus]; removed: [string, ModbusBus] }> {
  private readonly buses = new Map<string, { bus: ModbusBus; spec: LineSpec; users: number }>();
  /** Timings a technician set for a line; they outlive the bus (it is rebuilt when devices come back). */
  private readonly lineTimings = new Map<string, Partial<BusTimings>>();

  constructor(private readonly defaults: Partial<BusOptions> = {}) {
    super();
  }

  /** Sets the timings of one line (lineKey), now if its bus runs and whenever it is built again. */
  configure(key: string, timings: Partial<BusTimings>): void {
    this.lineTimings.set(key, { ...this.lineTimings.get(key), ...timings });
    this.buses.get(key)?.bus.configure(timings);
  }

  timingsOf(key: string): Partial<BusTimings> {
    return { ...this.lineTimings.get(key) };
  }

  acquire(spec: LineSpec, options: Partial<BusOptions> = {}): ModbusBus {
    const key = lineKey(spec);
    const cur = this.buses.get(key);
    if (cur) {
      if (
        cur.spec.kind === 'serial' &&
        spec.kind === 'serial' &&
        (cur.spec.baud !== spec.baud ||
          cur.spec.parity !== spec.parity ||
          cur.spec.stopBits !== spec.stopBits)
      )
        throw new Error(
          `${spec.path} is already in use at ${cur.spec.baud} ${cur.spec.parity}; all devices on one bus share its settings`,
        );
      if (
        cur.spec.kind === 'tcp' &&
        spec.kind === 'tcp' &&
        Boolean(cur.spec.rtuOverTcp) !== Boolean(spec.rtuOverTcp)
      )
        throw new Error(
          `${spec.host}:${spec.port} is configured as ${cur.spec.rtuOverTcp ? 'RTU over TCP' : 'Modbus TCP'}; one host:port cannot mix both`,
        );
      cur.users++;
      return cur.bus;
    }
    const transport =
      spec.kind === 'serial'
        ? new SerialTransport({
            path: spec.path,
            baudRate: spec.baud,
            parity: spec.parity,
            dataBits: 8,
            stopBits: spec.stopBits,
          })
        : new TcpTransport({ host: spec.host, port: spec.port });
    const framing: Framing = spec.kind === 'serial' ? 'rtu' : spec.rtuOverTcp ? 'rtu-over-tcp' : 'tcp';
    const bus = new ModbusBus(transport, {
      ...this.defaults,
      ...this.lineTimings.get(key),
      ...options,
      framing,
    });
    this.buses.set(key, { bus, spec, users: 1 });
    this.emit('added', key, bus);
    void bus.open().catch(() => undefined); // reconnects by itself; devices report stale meanwhile
    return bus;
  }

  async release(bus: ModbusBus): Promise<void> {
    for (const [key, entry] of this.buses) {
      if (entry.bus !== bus) continue;
      entry.users--;
      if (entry.users <= 0) {
        this.buses.delete(key);
        this.emit('removed', key, bus);
        await bus.close();
      }
      return;
    }
  }

  all(): { key: string; bus: ModbusBus }[] {
    return [...this.buses.entries()].map(([key, e]) => ({ key, bus: e.bus }));
  }

  find(key: string): ModbusBus | undefined {
    return this.buses.get(key)?.bus;
  }

  async closeAll(): Promise<void> {
    const all = [...this.buses.values()];
    for (const [key, e] of this.buses) this.emit('removed', key, e.bus);
    this.buses.clear();
    await Promise.all(all.map((e) => e.bus.close().catch(() => undefined)));
  }
}
