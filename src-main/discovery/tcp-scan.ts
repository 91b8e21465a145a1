import { ModbusError } from '../bus/errors.js';
import { ModbusBus } from '../bus/modbus-bus.js';
import type { DeviceLibrary } from '../devices/library.js';
import { TcpTransport } from '../transport/tcp.js';
import { describeUnit, idGroups, readId } from './identify.js';
import { LateReplies } from './late-replies.js';
import { flagEchoes } from './plausibility.js';
import type { FoundDevice, IdRead, ScanHooks, ScanReport, TcpPosition } from './scan-types.js';

export interface TcpScanOptions {
  hosts: readonly string[];
  port?: number;
  /** Unit ids to ask on every host. Without them, see `scanHostUnits` for what is asked. */
  units?: readonly number[];
  rtuOverTcp?: boolean;
  /** Connection attempts in flight at once. */
  concurrency?: number;
  connectTimeoutMs?: number;
  /** Longest wait for one unit id; once units answered the wait adapts to their latency. */
  unitTimeoutMs?: number;
}

const DEFAULTS = { port: 502, concurrency: 32, connectTimeoutMs: 1000, unitTimeoutMs: 1000 };
/** Exceptions only a gateway sends: no path to, or no answer from, the unit id behind it. */
const GATEWAY_EXCEPTIONS = new Set([10, 11]);
/** Unit ids plain Modbus TCP devices conventionally answer when 1 is not theirs. */
const PLAIN_DEVICE_IDS = [255, 0];
const ADAPTIVE_FLOOR_MS = 100;

type Probe = { kind: 'answer'; read: IdRead } | { kind: 'gateway' } | { kind: 'silent' };

const aborted = (e: unknown): boolean =>
  e instanceof ModbusError && (e.kind === 'cancelled' || e.kind === 'closed');

/**
 * Finds Modbus TCP devices on a list of hosts: connection attempts in parallel (bounded), then the
 * unit ids behind each host that accepted. Cancel with `hooks.signal`.
 */
export async function scanTcp(
  library: DeviceLibrary,
  o: TcpScanOptions,
  hooks: ScanHooks<TcpPosition> = {},
): Promise<ScanReport> {
  const started = Date.now();
  const port = o.port ?? DEFAULTS.port;
  const explicit = o.units?.length ? [...new Set(o.units)].sort((a, b) => a - b) : undefined;
  const perHost = explicit?.length ?? 1;
  const total = o.hosts.length * perHost;
  const found: FoundDevice[] = [];
  const hints: string[] = [];
  let done = 0;
  let probes = 0;
  let reachable = 0;
  const queue = [...o.hosts];
  const progress = (phase: 'connect' | 'units', current: TcpPosition): void =>
    hooks.onProgress?.({ phase, done, total, current, found: found.length });

  const worker = async (): Promise<void> => {
    for (let host = queue.shift(); host !== undefined; host = queue.shift()) {
      if (hooks.signal?.aborted) return;
      progress('connect', { host, port });
      const transport = new TcpTransport({
        host,
        port,
        connectTimeoutMs: o.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
      });
      const bus = new ModbusBus(transport, {
        framing: o.rtuOverTcp ? 'rtu-over-tcp' : 'tcp',
        reconnect: false,
        retries: 0,
        flushStale: false,
        timeoutMs: o.unitTimeoutMs ?? DEFAULTS.unitTimeoutMs,
      });
      try {
        await bus.open();
      } catch {
        done += perHost;
        continue;
      }
      reachable++;
      const key = `scan:tcp:${host}:${port}`;
      hooks.onBus?.(key, bus);
      try {
        const r = await scanHostUnits(bus, host, port, library, o, explicit, hooks, (unit) => {
          probes++;
          progress('units', { host, port, unit });
          if (explicit) done++;
        });
        for (const d of r.found) {
          found.push(d);
          hooks.onFound?.(d);
        }
        if (r.hint) hints.push(r.hint);
      } catch (e) {
        if (!aborted(e) && !(e instanceof ModbusError && e.kind === 'disconnected')) throw e;
        if (!aborted(e)) hints.push(`${host}:${port} closed the connection during the scan`);
      } finally {
        if (!explicit) done++;
        await bus.close();
        hooks.onBus?.(key, null);
      }
    }
  };
  const workers = Math.max(1, Math.min(o.concurrency ?? DEFAULTS.concurrency, o.hosts.length));
  await Promise.all(Array.from({ length: workers }, () => worker()));
  if (o.hosts.length > 1 || reachable === 0)
    hints.unshift(`${reachable} of ${o.hosts.length} host(s) accept connections on port ${port}`);
  hooks.onProgress?.({
    phase: 'units',
    done,
    total,
    current: { host: o.hosts.at(-1) ?? '', port },
    found: found.length,
  });
  return {
    kind: 'tcp',
    startedAt: started,
    durationMs: Date.now() - started,
    cancelled: hooks.signal?.aborted ?? false,
    probes,
    found: flagEchoes(found),
    hints,
  };
}

/**
 * The unit ids behind one host. With `explicit` ids, exactly those. Without, decided from the answers:
 * - unit 1 answers, unit 2 answers the same (same id and serial number): a plain device that ignores
 *   the unit id — one device, stop;
 * - unit 1 answers and unit 2 is silent: a plain device answering only its own id — stop;
 * - a gateway exception (10/11), or a different device at unit 2: a gateway — ask 1..247;
 * - unit 1 silent: try 255 and 0, the ids plain TCP devices conventionally use, then give up with a hint.
 * A gateway that stays silent for absent ids looks like a plain device: give `units` to search it.
 */
export async function scanHostUnits(
  bus: ModbusBus,
  host: string,
  port: number,
  library: DeviceLibrary,
  o: TcpScanOptions,
  explicit: readonly number[] | undefined,
  hooks: ScanHooks<TcpPosition>,
  onProbe: (unit: number) => void,
): Promise<{ found: FoundDevice[]; hint?: string }> {
  const group = idGroups(library)[0];
  if (!group) return { found: [] };
  const ceiling = o.unitTimeoutMs ?? DEFAULTS.unitTimeoutMs;
  let slowestOk: number | undefined;
  const late = new LateReplies(bus.monitor, o.rtuOverTcp ? 'rtu' : 'tcp');
  const found: FoundDevice[] = [];
  const connection = (unit: number): FoundDevice['connection'] => ({
    host,
    port,
    unit,
    ...(o.rtuOverTcp ? { rtuOverTcp: true } : {}),
  });
  const probe = async (unit: number, timeoutMs?: number): Promise<Probe> => {
    onProbe(unit);
    const t =
      timeoutMs ??
      (slowestOk === undefined
        ? ceiling
        : Math.min(ceiling, Math.max(ADAPTIVE_FLOOR_MS, slowestOk * 3 + 50)));
    const read = await readId(bus, unit, group, { signal: hooks.signal, timeoutMs: t, retries: 0 });
    if (read.exception !== undefined && GATEWAY_EXCEPTIONS.has(read.exception)) return { kind: 'gateway' };
    if (!read.words && read.exception === undefined) return { kind: 'silent' };
    const ms = bus.latencyOf(unit);
    if (ms !== undefined) slowestOk = Math.max(slowestOk ?? 0, ms);
    return { kind: 'answer', read };
  };
  const take = async (unit: number, read: IdRead): Promise<FoundDevice> => {
    const d = await describeUnit(bus, unit, library, { group, read }, connection(unit), hooks.signal);
    found.push(d);
    return d;
  };
  const sweep = async (units: readonly number[]): Promise<void> => {
    for (const unit of units) {
      if (hooks.signal?.aborted) return;
      if (found.some((d) => d.connection.unit === unit)) continue;
      const p = await probe(unit);
      if (p.kind === 'answer') await take(unit, p.read);
    }
    for (const unit of [...late.units].filter(
      (u) => units.includes(u) && !found.some((d) => d.connection.unit === u),
    )) {
      const p = await probe(unit, ceiling);
      if (p.kind === 'answer') await take(unit, p.read);
    }
  };
  const all = Array.from({ length: 247 }, (_, i) => i + 1);
  try {
    if (explicit) {
      await sweep(explicit);
      return { found };
    }
    const first = await probe(1);
    if (first.kind === 'gateway') {
      await sweep(all);
      return { found, hint: `${host}:${port} is a gateway (it answers "no device" for empty unit ids)` };
    }
    if (first.kind === 'silent') {
      for (const unit of PLAIN_DEVICE_IDS) {
        const p = await probe(unit);
        if (p.kind === 'answer') {
          await take(unit, p.read);
          return { found };
        }
      }
      return {
        found,
        hint: `${host}:${port} accepts connections but units 1, 255 and 0 do not answer: give --units to search further`,
      };
    }
    const one = await take(1, first.read);
    const second = await probe(2);
    if (second.kind === 'silent') return { found };
    if (second.kind === 'answer') {
      const two = await describeUnit(
        bus,
        2,
        library,
        { group, read: second.read },
        connection(2),
        hooks.signal,
      );
      if (sameDevice(one, two)) {
        found[0] = { ...one, note: 'answers for every unit id: a plain Modbus TCP device (unit 1 is used)' };
        return { found };
      }
      found.push(two);
    }
    await sweep(all);
    return { found, hint: `${host}:${port} is a gateway with ${found.length} device(s) behind it` };
  } finally {
    late.stop();
  }
}

function sameDevice(a: FoundDevice, b: FoundDevice): boolean {
  return (
    JSON.stringify(a.idRegisters) === JSON.stringify(b.idRegisters) &&
    a.serialNumber === b.serialNumber &&
    a.model === b.model
  );
}
